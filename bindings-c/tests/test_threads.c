/* One client shared by 8 threads, 50 sends each: every send accepted, no data race
 * (run under ASan/UBSan; the sandbox ledger must hold exactly 400 new messages). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
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

int main(void) {
    instasent_sandbox *sandbox = NULL;
    instasent_error *err = NULL;
    if (instasent_sandbox_start(NULL, &sandbox, &err) != INSTASENT_OK) {
        fprintf(stderr, "sandbox: %s\n", err ? err->message : "?");
        return 1;
    }
    const char *url = NULL;
    instasent_sandbox_base_url(sandbox, &url);
    instasent_options o = instasent_options_default();
    o.base_url = url;
    CHECK(instasent_client_new("sandbox-token", &o, &client, NULL) == INSTASENT_OK, "-");

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

    char *ledger = NULL;
    CHECK(instasent_sandbox_messages_json(sandbox, &ledger, NULL) == INSTASENT_OK, "-");
    json_node *root = ledger ? json_parse(ledger, strlen(ledger), NULL) : NULL;
    CHECK(root && root->count == THREADS * SENDS, "ledger holds %zu messages", root ? root->count : 0);
    json_free(root);
    instasent_string_free(ledger);

    instasent_client_free(client);
    instasent_sandbox_free(sandbox);
    return check_summary("test_threads");
}
