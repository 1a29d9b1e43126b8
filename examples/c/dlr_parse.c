/* Parses delivery reports as a webhook receiver would: Instasent webhook JSON and SMPP receipts.
 * Run: examples/run-all.sh builds it; by hand see examples/README.md. (dlr_webhook.c receives live ones.) */
#include <stdio.h>
#include <string.h>

#include <instasent.h>

static int show(instasent_code code, instasent_delivery_report *r, instasent_error *err) {
    if (code != INSTASENT_OK) {
        printf("refused: %s\n", err->message);
        instasent_error_free(err);
        return 0;
    }
    printf("%s report %s: %s (raw %s) code %lld (%s) final=%s\n", r->source, r->id, r->status, r->raw_status,
           r->has_code ? (long long)r->code : -1LL, r->code_meaning ? r->code_meaning : "-", r->is_final ? "yes" : "no");
    instasent_delivery_report_free(r);
    return 1;
}

int main(void) {
    /* What the API POSTs to your webhook for each status change (docs: http/dlrs). */
    const char *webhooks[] = {
        "{\"id\":\"5f1a0000000000000000abcd\",\"clientId\":\"order-42\",\"status\":\"sent\",\"code\":0,\"eventAt\":\"2026-04-21T10:15:00.000Z\"}",
        "{\"id\":\"5f1a0000000000000000abcd\",\"clientId\":\"order-42\",\"status\":\"failed\",\"code\":3,\"eventAt\":\"2026-04-21T10:15:02.000Z\"}",
        "{\"not\":\"a report\"}",
    };
    const char *smpp = "id:5f1a0000000000000000beef sub:001 dlvrd:001 submit date:2604211015 "
                       "done date:2604211016 stat:DELIVRD err:000 text:Your code is 4821";
    int parsed = 0;
    for (size_t i = 0; i < sizeof webhooks / sizeof webhooks[0]; i++) {
        instasent_delivery_report *r = NULL;
        instasent_error *err = NULL;
        instasent_code code = instasent_parse_dlr(webhooks[i], strlen(webhooks[i]), &r, &err);
        parsed += show(code, r, err);
    }
    instasent_delivery_report *r = NULL;
    instasent_error *err = NULL;
    instasent_code code = instasent_parse_smpp_receipt(smpp, &r, &err);
    parsed += show(code, r, err);
    printf("parsed %d of 4 payloads\n", parsed);
    return parsed == 3 ? 0 : 1;
}
