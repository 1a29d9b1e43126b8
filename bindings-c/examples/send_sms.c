/* Sends one SMS, prints the documented {status, body}, how the text is segmented and a parsed
 * delivery report. Token from INSTASENT_TOKEN; base URL from INSTASENT_BASE_URL (e.g. the
 * sandbox) or the production API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <instasent.h>

static int fail(instasent_error *err) {
    fprintf(stderr, "%s\n", err->message); /* starts with the code's name */
    instasent_error_free(err);
    return 1;
}

int main(void) {
    const char *token = getenv("INSTASENT_TOKEN");
    const char *text = "Your order has shipped: {track it}";
    instasent_client *client = NULL;
    instasent_error *err = NULL;
    if (!token) {
        fprintf(stderr, "set INSTASENT_TOKEN\n");
        return 2;
    }
    if (instasent_client_new(token, NULL, &client, &err) != INSTASENT_OK) return fail(err);

    instasent_response *resp = NULL;
    if (instasent_send_sms(client, "Acme", "+34600000000", text, NULL, &resp, &err) != INSTASENT_OK) {
        instasent_client_free(client);
        return fail(err);
    }
    printf("response_code: %d\nresponse_body: %s\n", resp->status, resp->body);
    int ok = resp->status == 201;
    instasent_response_free(resp);

    instasent_segment_info *info = NULL;
    if (instasent_segments(text, false, &info, &err) == INSTASENT_OK) {
        printf("%s, %zu segment(s), %zu units\n", info->encoding_name, info->segments, info->units);
        instasent_segment_info_free(info);
    } else {
        instasent_error_free(err);
    }

    const char *dlr = "{\"id\":\"sms-id\",\"status\":\"delivered\",\"code\":0,\"eventAt\":\"2026-04-21T10:15:00Z\"}";
    instasent_delivery_report *report = NULL;
    if (instasent_parse_dlr(dlr, strlen(dlr), &report, &err) == INSTASENT_OK) {
        printf("dlr: %s %s final=%d (%s)\n", report->id, report->status, report->is_final,
               report->code_meaning ? report->code_meaning : "-");
        instasent_delivery_report_free(report);
    } else {
        instasent_error_free(err);
    }

    instasent_client_free(client);
    return ok ? 0 : 1;
}
