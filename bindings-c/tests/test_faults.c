/* Faults injected into a running sandbox (instasent_sandbox_set_faults_json, read back with
 * instasent_sandbox_faults_json), and what a caller does with the send they make ambiguous: look
 * the message up by its clientId, resend only when it is not there. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixture.h"
#include "instasent.h"

static instasent_sandbox *sandbox;
static instasent_client *client;

static void set_faults(const char *json) {
    instasent_error *err = NULL;
    CHECK(instasent_sandbox_set_faults_json(sandbox, json, &err) == INSTASENT_OK, "%s: %s", json ? json : "NULL",
          err ? err->message : "");
    instasent_error_free(err);
}

static instasent_code send(const char *client_id, instasent_error **err) {
    instasent_response *r = NULL;
    instasent_code code = instasent_send_sms(client, "Acme", "+34600123456", "Your order shipped", client_id, &r, err);
    CHECK((code == INSTASENT_OK) == (r != NULL), "a response exactly when OK");
    if (r) CHECK(r->status == 201, "status %d: %s", r->status, r->body);
    instasent_response_free(r);
    return code;
}

/* How many messages with this clientId the sandbox holds. */
static int in_ledger(const char *client_id) {
    char *ledger = NULL;
    CHECK(instasent_sandbox_messages_json(sandbox, &ledger, NULL) == INSTASENT_OK && ledger, "-");
    char needle[64];
    snprintf(needle, sizeof needle, "\"clientId\":\"%s\"", client_id);
    int n = 0;
    for (const char *p = ledger ? strstr(ledger, needle) : NULL; p; p = strstr(p + 1, needle)) n++;
    instasent_string_free(ledger);
    return n;
}

static int found(const char *client_id) {
    char *json = NULL;
    instasent_error *err = NULL;
    instasent_code code = instasent_find_sms_by_client_id(client, client_id, &json, &err);
    CHECK(code == INSTASENT_OK || code == INSTASENT_NOT_FOUND, "find: %s", err ? err->message : "");
    instasent_string_free(json);
    instasent_error_free(err);
    return code == INSTASENT_OK;
}

/* Whether the sandbox reports exactly these faults. */
static int faults_are(const char *expected) {
    char *json = NULL;
    instasent_error *err = NULL;
    CHECK(instasent_sandbox_faults_json(sandbox, &json, &err) == INSTASENT_OK && json, "%s", err ? err->message : "");
    int same = json && !strcmp(json, expected);
    if (!same) fprintf(stderr, "  faults: %s\n  wanted: %s\n", json ? json : "(none)", expected);
    instasent_string_free(json);
    instasent_error_free(err);
    return same;
}

static void test_bad_faults_are_refused_and_change_nothing(void) {
    set_faults("{\"latencyMs\":1}");
    const char *bad[] = {"{\"errorRate\":3}", "{\"errorRat\":1}", "{\"errorRate\":\"all\"}", "not json", "[]"};
    const char *named[] = {"`errorRate` must be between 0 and 1", "errorRat", "errorRate: invalid type", "faults_json",
                           "object"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        instasent_error *err = NULL;
        CHECK(instasent_sandbox_set_faults_json(sandbox, bad[i], &err) == INSTASENT_INVALID_ARGUMENT, "%s", bad[i]);
        CHECK(err && strstr(err->message, named[i]), "%s: %s", bad[i], err ? err->message : "(no error)");
        instasent_error_free(err);
    }
    const char bad_utf8[] = {'{', '"', (char)0xff, '"', ':', '1', '}', 0};
    CHECK(instasent_sandbox_set_faults_json(sandbox, bad_utf8, NULL) == INSTASENT_INVALID_UTF8, "-");
    CHECK(instasent_sandbox_set_faults_json(NULL, "{}", NULL) == INSTASENT_NULL_ARGUMENT, "NULL sandbox");

    /* Still only the 1 ms of latency. */
    CHECK(faults_are("{\"errorRate\":0.0,\"latencyMs\":1,\"dropAfterCommitRate\":0.0,\"rateLimitBurst\":0,\"seed\":null}"),
          "-");
    CHECK(send("after-bad-faults", NULL) == INSTASENT_OK, "-");
    set_faults(NULL);
    char *json = NULL;
    CHECK(instasent_sandbox_faults_json(NULL, &json, NULL) == INSTASENT_NULL_ARGUMENT && !json, "NULL sandbox");
}

static void test_the_forced_429s_count_down(void) {
    set_faults("{\"rateLimitBurst\":2,\"seed\":7}");
    CHECK(faults_are("{\"errorRate\":0.0,\"latencyMs\":0,\"dropAfterCommitRate\":0.0,\"rateLimitBurst\":2,\"seed\":7}"),
          "-");
    instasent_response *r = NULL;
    CHECK(instasent_get_account_balance(client, &r, NULL) == INSTASENT_OK && r && r->status == 429, "-");
    instasent_response_free(r);
    CHECK(faults_are("{\"errorRate\":0.0,\"latencyMs\":0,\"dropAfterCommitRate\":0.0,\"rateLimitBurst\":1,\"seed\":7}"),
          "one 429 still to send");
    set_faults(NULL);
}

static void test_an_error_rate_answers_reads_500_and_makes_sends_ambiguous(void) {
    set_faults("{\"errorRate\":1}");
    /* The documented calls hand HTTP errors back as responses. */
    instasent_response *r = NULL;
    instasent_error *err = NULL;
    CHECK(instasent_get_account_balance(client, &r, &err) == INSTASENT_OK && r && r->status == 500,
          "a read gets the 500: %s", err ? err->message : "");
    instasent_response_free(r);

    /* A 500 to a send says nothing of whether it was committed: ambiguous, with its clientId. */
    CHECK(send("order-500", &err) == INSTASENT_AMBIGUOUS_OUTCOME, "%s", err ? err->message : "");
    CHECK(err && err->maybe_committed && err->client_id && !strcmp(err->client_id, "order-500"), "-");
    instasent_error_free(err);

    /* NULL clears the faults. The sandbox answered 500 before committing: not there, so sending
     * it again with the same clientId is the one delivery. */
    set_faults(NULL);
    CHECK(!found("order-500"), "the 500 committed nothing");
    CHECK(send("order-500", NULL) == INSTASENT_OK, "resent");
    CHECK(found("order-500") && in_ledger("order-500") == 1, "once");
}

static void test_a_dropped_answer_is_found_and_not_resent(void) {
    set_faults("{\"dropAfterCommitRate\":1}");
    instasent_error *err = NULL;
    CHECK(send("order-drop", &err) == INSTASENT_AMBIGUOUS_OUTCOME, "%s", err ? err->message : "");
    CHECK(err && err->maybe_committed && err->client_id && !strcmp(err->client_id, "order-drop"), "-");
    instasent_error_free(err);
    set_faults("{}");
    CHECK(found("order-drop"), "committed before the connection closed");
    CHECK(in_ledger("order-drop") == 1, "once");
}

int main(void) {
    /* No retries: the first fault is the answer. (With them, a retry of a dropped send finds its
     * clientId used and reports the send as accepted; 500s are retried until the budget ends.) */
    if (!start_sandbox_and_client(1, &sandbox, &client)) return 1;

    test_bad_faults_are_refused_and_change_nothing();
    test_an_error_rate_answers_reads_500_and_makes_sends_ambiguous();
    test_a_dropped_answer_is_found_and_not_resent();
    test_the_forced_429s_count_down();

    instasent_client_free(client);
    instasent_sandbox_free(sandbox);
    return check_summary("test_faults");
}
