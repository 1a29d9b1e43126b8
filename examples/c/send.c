/* Sends one SMS with the documented call and prints {response_code, response_body}.
 * Run: examples/run-all.sh builds it; by hand see examples/README.md (needs INSTASENT_BASE_URL, INSTASENT_TOKEN). */
#include <stdio.h>
#include <stdlib.h>

#include <instasent.h>

int main(void) {
    const char *token = getenv("INSTASENT_TOKEN");
    instasent_client *client = NULL;
    instasent_response *resp = NULL;
    instasent_error *err = NULL;
    if (!token) {
        fprintf(stderr, "set INSTASENT_TOKEN\n");
        return 2;
    }
    /* NULL options: base URL from $INSTASENT_BASE_URL, else the production API. */
    if (instasent_client_new(token, NULL, &client, &err) == INSTASENT_OK &&
        instasent_send_sms(client, "Acme", "+34600123456", "Your code is 4821", NULL, &resp, &err) == INSTASENT_OK) {
        printf("response_code: %d\nresponse_body: %s\n", resp->status, resp->body);
    } else {
        fprintf(stderr, "%s\n", err->message); /* starts with the code's name */
    }
    int status = resp ? resp->status : 0;
    instasent_response_free(resp);
    instasent_error_free(err);
    instasent_client_free(client);
    return status == 201 ? 0 : 1;
}
