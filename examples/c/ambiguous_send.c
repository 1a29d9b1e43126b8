/* A send that may have gone out unanswered (INSTASENT_AMBIGUOUS_OUTCOME): look the message up by
 * its clientId, and send it again only when it is not there. The API refuses a clientId it has
 * seen, so that resend cannot deliver it twice.
 *
 * The SDK retries an unanswered send itself, and a retry that finds its clientId used reports
 * the send as accepted. So the error reaches you only when the retries could not settle it (an
 * outage): keep the clientId with what you were sending, and settle it once the API answers.
 *
 * The demo provokes both cases in a sandbox of its own (injected faults), retries off so that
 * the first fault is the answer. Run: examples/run-all.sh c builds and runs it. */
#include <stdio.h>
#include <string.h>

#include <instasent.h>

#define FROM "Acme"
#define TO "+34600123456"
#define TEXT "Your order has shipped"

/* The first "id" of a JSON text, for printing (real code would use its JSON parser). */
static const char *id_in(const char *json, char *buf, size_t size) {
    const char *start = json ? strstr(json, "\"id\":\"") : NULL;
    const char *end = start ? strchr(start + 6, '"') : NULL;
    if (!end || (size_t)(end - start - 6) >= size) return "?";
    memcpy(buf, start + 6, (size_t)(end - start - 6));
    buf[end - start - 6] = '\0';
    return buf;
}

/* Makes sure the message with this clientId went out once; prints how. */
static instasent_code settle(const instasent_client *client, const char *client_id, instasent_error **err) {
    char *found = NULL;
    char id[64];
    instasent_code code = instasent_find_sms_by_client_id(client, client_id, &found, err);
    if (code == INSTASENT_OK) {
        printf("%s: already sent as %s, not sent again\n", client_id, id_in(found, id, sizeof id));
        instasent_string_free(found);
        return INSTASENT_OK;
    }
    if (code != INSTASENT_NOT_FOUND) return code;
    instasent_error_free(*err);
    *err = NULL;
    instasent_response *resent = NULL;
    code = instasent_send_sms(client, FROM, TO, TEXT, client_id, &resent, err);
    if (code == INSTASENT_OK && resent->status == 201)
        printf("%s: not in the history, sent again as %s\n", client_id, id_in(resent->body, id, sizeof id));
    else if (code == INSTASENT_OK)
        code = INSTASENT_SERVER; /* the documented call hands HTTP errors back as responses */
    instasent_response_free(resent);
    return code;
}

int main(void) {
    instasent_sandbox *sandbox = NULL;
    instasent_options *options = instasent_options_new();
    instasent_client *client = NULL;
    instasent_error *err = NULL;
    const char *url = NULL;
    int ok = instasent_sandbox_start(NULL, &sandbox, &err) == INSTASENT_OK &&
             instasent_sandbox_base_url(sandbox, &url) == INSTASENT_OK &&
             instasent_options_set_base_url(options, url, &err) == INSTASENT_OK &&
             instasent_options_set_max_retries(options, 0, &err) == INSTASENT_OK &&
             instasent_client_new("sandbox-token", options, &client, &err) == INSTASENT_OK;
    instasent_options_free(options);

    /* Committed, then the connection closed; answered 500 before anything was committed. */
    const char *client_ids[] = {"order-1001", "order-1002"};
    const char *faults[] = {"{\"dropAfterCommitRate\":1}", "{\"errorRate\":1}"};
    for (int i = 0; ok && i < 2; i++) {
        ok = instasent_sandbox_set_faults_json(sandbox, faults[i], &err) == INSTASENT_OK;
        if (!ok) break;
        instasent_response *resp = NULL;
        instasent_code code = instasent_send_sms(client, FROM, TO, TEXT, client_ids[i], &resp, &err);
        instasent_response_free(resp);
        if (code != INSTASENT_AMBIGUOUS_OUTCOME) {
            fprintf(stderr, "%s: %s, but the sandbox was to fail it\n", client_ids[i], instasent_code_name(code));
            ok = 0;
            break;
        }
        printf("%s: %s, may have been sent: %s\n", err->client_id, instasent_code_name(code),
               err->maybe_committed ? "true" : "false");
        instasent_error_free(err);
        err = NULL;
        /* NULL: no faults, the outage is over. */
        ok = instasent_sandbox_set_faults_json(sandbox, NULL, &err) == INSTASENT_OK &&
             settle(client, client_ids[i], &err) == INSTASENT_OK;
    }

    char *ledger = NULL;
    if (ok && instasent_sandbox_messages_json(sandbox, &ledger, &err) == INSTASENT_OK) {
        printf("ledger:");
        for (int i = 0; i < 2; i++) {
            char needle[64];
            int times = 0;
            snprintf(needle, sizeof needle, "\"clientId\":\"%s\"", client_ids[i]);
            for (const char *p = strstr(ledger, needle); p; p = strstr(p + 1, needle)) times++;
            printf("%s %s x%d", i ? "," : "", client_ids[i], times);
        }
        printf("\n");
        instasent_string_free(ledger);
    } else {
        ok = 0;
    }
    if (err) fprintf(stderr, "%s\n", err->message); /* starts with the code's name */
    instasent_error_free(err);
    instasent_client_free(client);
    instasent_sandbox_free(sandbox);
    return ok ? 0 : 1;
}
