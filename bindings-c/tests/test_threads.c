/* One client shared by 8 threads, 50 sends each: every send accepted, no data race
 * (run under ASan/UBSan; the sandbox ledger must hold exactly 400 new messages). Then a
 * streamed campaign fed by one thread and drained by another (2,000 more). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixture.h"
#include "instasent.h"
#include "json.h"

enum { THREADS = 8, SENDS = 50 };

static instasent_client *client;

typedef struct {
    int index;
    int accepted;
    int failed;
} worker;

static void *run(void *arg) {
    worker *w = arg;
    for (int i = 0; i < SENDS; i++) {
        char to[32], ref[40];
        snprintf(to, sizeof to, "+346%02d%06d", w->index, i);
        snprintf(ref, sizeof ref, "t%d-%d", w->index, i);
        instasent_response *r = NULL;
        instasent_error *err = NULL;
        if (instasent_send_sms(client, "Acme", to, "threaded", ref, &r, &err) == INSTASENT_OK && r->status == 201)
            w->accepted++;
        else
            w->failed++;
        instasent_response_free(r);
        instasent_error_free(err);
    }
    return NULL;
}

enum { CAMPAIGN = 2000, PUSH = 100 };

/* Feeds the campaign a push of PUSH JSON Lines at a time, then ends it. */
static void *feed(void *arg) {
    instasent_campaign *c = arg;
    static char lines[PUSH * 96];
    for (int first = 0; first < CAMPAIGN; first += PUSH) {
        size_t n = 0;
        for (int i = first; i < first + PUSH; i++)
            n += (size_t)snprintf(lines + n, sizeof lines - n,
                                  "{\"from\":\"Acme\",\"to\":\"+3469%07d\",\"text\":\"fed %d\"}\n", i, i);
        instasent_error *err = NULL;
        CHECK(instasent_campaign_push_json(c, lines, &err) == INSTASENT_OK, "%s", err ? err->message : "");
        instasent_error_free(err);
    }
    CHECK(instasent_campaign_end(c, NULL) == INSTASENT_OK, "-");
    return NULL;
}

/* The drainer: the main thread takes results until done while `feed` pushes. */
static int drain(instasent_campaign *c) {
    static unsigned char seen[CAMPAIGN];
    int accepted = 0, done = 0;
    for (int rounds = 0; !done && rounds < 1000; rounds++) {
        char *out = NULL;
        CHECK(instasent_campaign_next_json(c, 2000, &out, NULL) == INSTASENT_OK, "-");
        json_node *root = out ? json_parse(out, strlen(out), NULL) : NULL;
        const json_node *results = json_get(root, "results");
        for (size_t i = 0; results && i < results->count; i++) {
            int index = (int)json_get(results->items[i], "index")->number;
            CHECK(index >= 0 && index < CAMPAIGN && !seen[index], "index %d once", index);
            if (index >= 0 && index < CAMPAIGN) seen[index] = 1;
            if (!strcmp(json_get(results->items[i], "outcome")->string, "accepted")) accepted++;
        }
        const json_node *d = json_get(root, "done");
        done = d && d->boolean;
        json_free(root);
        instasent_string_free(out);
    }
    CHECK(done, "the campaign ended");
    return accepted;
}

int main(void) {
    instasent_sandbox *sandbox = NULL;
    if (!start_sandbox_and_client(0, &sandbox, &client)) return 1;

    pthread_t threads[THREADS];
    worker workers[THREADS];
    for (int t = 0; t < THREADS; t++) {
        workers[t] = (worker){t, 0, 0};
        pthread_create(&threads[t], NULL, run, &workers[t]);
    }
    int accepted = 0;
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        accepted += workers[t].accepted;
        CHECK(workers[t].failed == 0, "thread %d: %d sends failed", t, workers[t].failed);
    }
    CHECK(accepted == THREADS * SENDS, "%d of %d accepted", accepted, THREADS * SENDS);

    instasent_campaign *campaign = NULL;
    CHECK(instasent_campaign_start(client, NULL, &campaign, NULL) == INSTASENT_OK, "-");
    pthread_t feeder;
    pthread_create(&feeder, NULL, feed, campaign);
    int fed = drain(campaign);
    pthread_join(feeder, NULL);
    instasent_campaign_free(campaign);
    CHECK(fed == CAMPAIGN, "%d of %d accepted", fed, CAMPAIGN);

    char *ledger = NULL;
    CHECK(instasent_sandbox_messages_json(sandbox, &ledger, NULL) == INSTASENT_OK, "-");
    json_node *root = ledger ? json_parse(ledger, strlen(ledger), NULL) : NULL;
    CHECK(root && root->count == THREADS * SENDS + CAMPAIGN, "ledger holds %zu messages", root ? root->count : 0);
    json_free(root);
    instasent_string_free(ledger);

    instasent_client_free(client);
    instasent_sandbox_free(sandbox);
    return check_summary("test_threads");
}
