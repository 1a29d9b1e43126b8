/* A campaign of 300 personalised messages (three of them bad), streamed: pushed a batch at a
 * time with instasent_campaign_push_json, results taken as they settle with
 * instasent_campaign_next_json, so memory stays flat for a campaign of any size.
 * (instasent_campaign_json does it in one call, every result at once.)
 * Run: examples/run-all.sh builds it; by hand see examples/README.md (needs INSTASENT_BASE_URL, INSTASENT_TOKEN). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <instasent.h>

#define COUNT 300
#define BATCH 100

static int accepted, rejected, failed;

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

/* Counts and reports the results in one answer of instasent_campaign_next_json:
 * {"done":false,"progress":{...},"results":[{"index":17,"outcome":"rejected",...}, ...]}
 * Returns 1 once the campaign is over ("done":true). */
static int take(const char *settled) {
    const char *p = strstr(settled, "\"results\":[");
    for (p = p ? p + 11 : settled + strlen(settled); *p == '{' || *p == ','; p++) {
        if (*p == ',') continue;
        const char *close = object_end(p);
        const char *outcome = strstr(p, "\"outcome\":\"");
        if (outcome && outcome < close) {
            outcome += 11;
            if (!strncmp(outcome, "accepted", 8)) accepted++;
            else {
                /* rejected "local": never sent; "server": refused by the API; failed: safe to retry */
                if (!strncmp(outcome, "rejected", 8)) rejected++;
                else failed++;
                printf("%.*s\n", (int)(close - p), p);
            }
        }
        p = close - 1;
    }
    return strstr(settled, "\"done\":true") != NULL;
}

static int fail(instasent_error *err) {
    fprintf(stderr, "%s\n", err->message); /* starts with the code's name */
    instasent_error_free(err);
    return 1;
}

int main(void) {
    const char *token = getenv("INSTASENT_TOKEN");
    if (!token) {
        fprintf(stderr, "set INSTASENT_TOKEN\n");
        return 2;
    }
    instasent_client *client = NULL;
    instasent_campaign *campaign = NULL;
    instasent_error *err = NULL;
    char *settled = NULL;
    /* NULL options: batches of 100, the client's concurrency (8). */
    if (instasent_client_new(token, NULL, &client, &err) != INSTASENT_OK ||
        instasent_campaign_start(client, NULL, &campaign, &err) != INSTASENT_OK) {
        instasent_client_free(client);
        return fail(err);
    }
    char lines[BATCH * 160];
    for (int first = 0; first < COUNT; first += BATCH) {
        /* One batch as JSON Lines. No clientId: the library makes one per message. */
        char *end = lines;
        for (int i = first; i < first + BATCH && i < COUNT; i++) {
            char to[32], text[96];
            snprintf(to, sizeof to, "+3460%07d", 1000000 + i);
            snprintf(text, sizeof text, "Hi customer %d, your order P-%05d has shipped", i, i);
            if (i == 17) strcpy(to, "600123456");    /* not E.164: rejected locally, never sent */
            if (i == 42) text[0] = '\0';              /* blank: rejected locally */
            if (i == 99) strcpy(to, "+99912345678"); /* +999 is no country's calling code: rejected by the API (no route) */
            end += sprintf(end, "{\"from\":\"Acme\",\"to\":\"%s\",\"text\":\"%s\"}\n", to, text);
        }
        /* Waits while `concurrency` batches are already queued: the input never runs ahead. */
        if (instasent_campaign_push_json(campaign, lines, &err) != INSTASENT_OK) break;
        /* Whatever settled meanwhile (0: do not wait). */
        if (instasent_campaign_next_json(campaign, 0, &settled, &err) != INSTASENT_OK) break;
        take(settled);
        instasent_string_free(settled);
        /* Results come in input order, so one slow request holds those after it back: while the
         * campaign holds all it should, take more results before reading more input. */
        bool room = true;
        while (instasent_campaign_has_room(campaign, &room, &err) == INSTASENT_OK && !room &&
               instasent_campaign_next_json(campaign, 1000, &settled, &err) == INSTASENT_OK) {
            int over = take(settled);
            instasent_string_free(settled);
            if (over) break;
        }
        if (err) break;
    }
    if (!err) instasent_campaign_end(campaign, &err);
    int done = 0;
    while (!err && !done && instasent_campaign_next_json(campaign, 1000, &settled, &err) == INSTASENT_OK) {
        done = take(settled);
        instasent_string_free(settled);
    }
    instasent_campaign_free(campaign);
    instasent_client_free(client);
    if (err) return fail(err);
    printf("accepted: %d, rejected: %d, failed: %d\n", accepted, rejected, failed);
    /* Every input has a result; failed ones were not sent. */
    return accepted + rejected + failed == COUNT && failed == 0 ? 0 : 1;
}
