/* A campaign of 300 personalised messages (three of them bad) through instasent_campaign_json.
 * Run: examples/run-all.sh builds it; by hand see examples/README.md (needs INSTASENT_BASE_URL, INSTASENT_TOKEN). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <instasent.h>

#define COUNT 300

/* The end of the JSON object starting at `p` (braces inside strings are skipped). */
static const char *object_end(const char *p) {
    int depth = 0, in_string = 0;
    for (; *p; p++) {
        if (in_string) {
            if (*p == '\\' && p[1]) p++;
            else if (*p == '"') in_string = 0;
        } else if (*p == '"') in_string = 1;
        else if (*p == '{') depth++;
        else if (*p == '}' && --depth == 0) return p + 1;
    }
    return p;
}

int main(void) {
    const char *token = getenv("INSTASENT_TOKEN");
    if (!token) {
        fprintf(stderr, "set INSTASENT_TOKEN\n");
        return 2;
    }
    /* JSON Lines, one message per line; any number of them (the library batches by 100). */
    char *input = malloc(COUNT * 160), *end = input;
    if (!input) return 1;
    for (int i = 0; i < COUNT; i++) {
        char to[32], text[96];
        snprintf(to, sizeof to, "+3460%07d", 1000000 + i);
        snprintf(text, sizeof text, "Hi customer %d, your order P-%05d has shipped", i, i);
        if (i == 17) strcpy(to, "600123456");    /* not E.164: rejected locally, never sent */
        if (i == 42) text[0] = '\0';              /* blank: rejected locally */
        if (i == 99) strcpy(to, "+81901234567"); /* no route in the price profile: rejected by the API */
        /* No clientId: the library makes one per message (this call has no resume option, so
         * a re-run with fixed clientIds would be refused as "already used"). */
        end += sprintf(end, "{\"from\":\"Acme\",\"to\":\"%s\",\"text\":\"%s\"}\n", to, text);
    }

    instasent_client *client = NULL;
    instasent_error *err = NULL;
    char *results = NULL;
    /* No progress callback in the C API: the call returns when every input has a result. */
    if (instasent_client_new(token, NULL, &client, &err) != INSTASENT_OK ||
        instasent_campaign_json(client, input, &results, &err) != INSTASENT_OK) {
        fprintf(stderr, "%s: %s\n", instasent_code_name(err->code), err->message);
        instasent_error_free(err);
        instasent_client_free(client);
        free(input);
        return 1;
    }
    /* {"progress":{"accepted":..,"failed":..,"read":..,"rejected":..,...},
     *  "results":[{..."index":0,"outcome":"accepted"...}, ...one per input, in input order] */
    const char *p = strstr(results, "\"results\":[");
    for (p = p ? p + 11 : results + strlen(results); *p == '{' || *p == ','; p++) {
        if (*p == ',') continue;
        const char *close = object_end(p);
        /* rejected "local": never sent; "server": refused by the API; failed: safe to retry */
        const char *outcome = strstr(p, "\"outcome\":\"");
        if (outcome && outcome < close && strncmp(outcome + 11, "accepted", 8) != 0) printf("%.*s\n", (int)(close - p), p);
        p = close - 1;
    }
    int accepted = 0, rejected = 0, failed = 0;
    const char *progress = strstr(results, "\"progress\":");
    if (progress) {
        const char *a = strstr(progress, "\"accepted\":"), *r = strstr(progress, "\"rejected\":"), *f = strstr(progress, "\"failed\":");
        accepted = a ? atoi(a + 11) : 0;
        rejected = r ? atoi(r + 11) : 0;
        failed = f ? atoi(f + 9) : 0;
    }
    printf("accepted: %d, rejected: %d, failed: %d\n", accepted, rejected, failed);
    instasent_string_free(results);
    instasent_client_free(client);
    free(input);
    return accepted + rejected + failed == COUNT ? 0 : 1;
}
