/* Campaigns through the C API against a sandbox: the whole input at once
 * (instasent_campaign_json), streamed (start, push, next, end), their options and the bound
 * that keeps a streamed campaign's memory flat. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixture.h"
#include "instasent.h"
#include "json.h"

static instasent_sandbox *sandbox;
static instasent_client *client;

/* Messages `first`..`first+count-1` as JSON Lines; input `bad` (if in range) has an invalid number. */
static char *campaign_lines(int first, int count, int bad) {
    size_t cap = (size_t)count * 96 + 1, n = 0;
    char *lines = malloc(cap);
    lines[0] = '\0';
    for (int i = first; i < first + count; i++)
        n += (size_t)snprintf(lines + n, cap - n, "{\"from\":\"Acme\",\"to\":\"%s\",\"text\":\"msg %d\"}\n",
                              i == bad ? "nope" : "+34612000000", i);
    return lines;
}

static void test_campaign(void) {
    /* 250 lines of JSON Lines: three bulk requests, one message rejected locally. */
    char *input = campaign_lines(0, 250, 7);
    char *results = NULL;
    instasent_error *err = NULL;
    CHECK(instasent_campaign_json(client, input, &results, &err) == INSTASENT_OK, "%s", err ? err->message : "");
    free(input);
    json_node *root = results ? json_parse(results, strlen(results), NULL) : NULL;
    const json_node *items = json_get(root, "results");
    const json_node *progress = json_get(root, "progress");
    CHECK(items && items->count == 250, "one result per input");
    CHECK(progress && json_get(progress, "accepted")->number == 249, "249 accepted");
    CHECK(progress && json_get(progress, "rejected")->number == 1, "1 rejected");
    if (items && items->count == 250) {
        const json_node *bad = items->items[7];
        CHECK(json_get(bad, "index")->number == 7, "input order");
        CHECK_STR(json_get(bad, "outcome")->string, "rejected");
        CHECK_STR(json_get(bad, "stage")->string, "local");
        CHECK_STR(json_get(items->items[0], "outcome")->string, "accepted");
    }
    json_free(root);
    instasent_string_free(results);
    CHECK(instasent_campaign_json(client, "[{\"from\":\"Acme\",\"to\":\"+34611000001\",\"text\":\"x\"}]", &results,
                                  NULL) == INSTASENT_OK, "a JSON array works too");
    instasent_string_free(results);
    CHECK(instasent_campaign_json(client, "{\"from\":\"Acme\",\"to\":\"+34611000002\",\"text\":\"x\"}\n{\"from\": 1}\n",
                                  &results, &err) == INSTASENT_INVALID_ARGUMENT && !results,
          "-");
    CHECK(err && strstr(err->message, "message 1 (line 2): from: invalid type"), "%s", err ? err->message : "");
    instasent_error_free(err);
}

static size_t ledger_size(void) {
    char *ledger = NULL;
    instasent_sandbox_messages_json(sandbox, &ledger, NULL);
    json_node *root = ledger ? json_parse(ledger, strlen(ledger), NULL) : NULL;
    size_t n = root ? root->count : 0;
    json_free(root);
    instasent_string_free(ledger);
    return n;
}

/* Takes what `instasent_campaign_next_json` hands out; marks each index in `seen`. Returns done. */
static int take_results(instasent_campaign *c, uint32_t timeout_ms, unsigned char *seen, int inputs, int *taken,
                        int *accepted, int *rejected_at) {
    char *out = NULL;
    instasent_error *err = NULL;
    CHECK(instasent_campaign_next_json(c, timeout_ms, &out, &err) == INSTASENT_OK, "%s", err ? err->message : "");
    instasent_error_free(err);
    json_node *root = out ? json_parse(out, strlen(out), NULL) : NULL;
    const json_node *results = json_get(root, "results");
    const json_node *done = json_get(root, "done");
    CHECK(results && done && json_get(root, "progress"), "%s", out ? out : "(null)");
    for (size_t i = 0; results && i < results->count; i++) {
        int index = (int)json_get(results->items[i], "index")->number;
        const char *outcome = json_get(results->items[i], "outcome")->string;
        CHECK(index >= 0 && index < inputs && !seen[index], "index %d once", index);
        if (index >= 0 && index < inputs) seen[index] = 1;
        (*taken)++;
        if (!strcmp(outcome, "accepted")) (*accepted)++;
        if (!strcmp(outcome, "rejected")) *rejected_at = index;
    }
    int is_done = done && done->boolean;
    json_free(root);
    instasent_string_free(out);
    return is_done;
}

static void test_campaign_streamed(void) {
    enum { BATCH = 50, PUSHES = 10, INPUTS = BATCH * PUSHES, BAD = 123 };
    instasent_campaign_options *o = instasent_campaign_options_new();
    CHECK(instasent_campaign_options_set_batch_size(o, BATCH, NULL) == INSTASENT_OK, "-");
    CHECK(instasent_campaign_options_set_concurrency(o, 2, NULL) == INSTASENT_OK, "-");
    instasent_campaign *c = NULL;
    instasent_error *err = NULL;
    size_t ledger_before = ledger_size();
    CHECK(instasent_campaign_start(client, o, &c, &err) == INSTASENT_OK && c, "%s", err ? err->message : "");
    instasent_campaign_options_free(o);
    unsigned char seen[INPUTS] = {0};
    int taken = 0, accepted = 0, rejected_at = -1;
    for (int p = 0; p < PUSHES; p++) {
        char *lines = campaign_lines(p * BATCH, BATCH, BAD);
        CHECK(instasent_campaign_push_json(c, lines, &err) == INSTASENT_OK, "%s", err ? err->message : "");
        free(lines);
        /* Drained between pushes: results never pile up. */
        take_results(c, 0, seen, INPUTS, &taken, &accepted, &rejected_at);
    }
    CHECK(instasent_campaign_push_json(c, "{not json", &err) == INSTASENT_INVALID_ARGUMENT, "malformed push");
    instasent_error_free(err);
    err = NULL;
    /* A bad message is named by the index its result would have had, counted across pushes. */
    char named[64];
    snprintf(named, sizeof named, "message %d (item 1 of the array): to: invalid type", INPUTS + 1);
    CHECK(instasent_campaign_push_json(c, "[{\"from\":\"Acme\",\"to\":\"+34611000003\",\"text\":\"x\"},{\"to\":1}]",
                                       &err) == INSTASENT_INVALID_ARGUMENT,
          "a number for `to`");
    CHECK(err && strstr(err->message, named), "%s: %s", named, err ? err->message : "");
    instasent_error_free(err);
    err = NULL;
    CHECK(instasent_campaign_end(c, NULL) == INSTASENT_OK, "-");
    CHECK(instasent_campaign_push_json(c, "[]", &err) == INSTASENT_INVALID_ARGUMENT &&
              err && strstr(err->message, "no more input"), "a push after end is refused");
    instasent_error_free(err);
    err = NULL;
    int rounds = 0;
    while (!take_results(c, 5000, seen, INPUTS, &taken, &accepted, &rejected_at) && rounds++ < 1000) {}
    CHECK(taken == INPUTS, "one result per input: %d", taken);
    CHECK(accepted == INPUTS - 1 && rejected_at == BAD, "accepted %d, rejected at %d", accepted, rejected_at);
    CHECK(ledger_size() - ledger_before == (size_t)accepted, "the ledger holds exactly the accepted ones");
    instasent_campaign_free(c);

    /* Stopped right after a push: what was queued is dropped, what went out is reported. */
    CHECK(instasent_campaign_start(client, NULL, &c, NULL) == INSTASENT_OK, "-");
    ledger_before = ledger_size();
    char *lines = campaign_lines(0, 300, -1);
    CHECK(instasent_campaign_push_json(c, lines, NULL) == INSTASENT_OK, "-");
    free(lines);
    CHECK(instasent_campaign_stop(c, NULL) == INSTASENT_OK, "-");
    unsigned char seen_stopped[300] = {0};
    taken = accepted = 0;
    rounds = 0;
    while (!take_results(c, 5000, seen_stopped, 300, &taken, &accepted, &rejected_at) && rounds++ < 1000) {}
    CHECK(taken <= 300 && accepted == taken, "taken %d, accepted %d", taken, accepted);
    CHECK(ledger_size() - ledger_before == (size_t)accepted, "nothing went out unreported");
    instasent_campaign_free(c);

    char *out = NULL;
    CHECK(instasent_campaign_next_json(NULL, 0, &out, NULL) == INSTASENT_NULL_ARGUMENT && out == NULL, "-");
    CHECK(instasent_campaign_push_json(NULL, "[]", NULL) == INSTASENT_NULL_ARGUMENT, "-");
    instasent_campaign_free(NULL);
}

/* Each setter refuses a value out of range at once and keeps the options as they were: a
 * campaign started with them runs batches of the last size accepted. */
static void test_campaign_options_refuse_out_of_range(void) {
    instasent_campaign_options *o = instasent_campaign_options_new();
    instasent_error *err = NULL;
    CHECK(instasent_campaign_options_set_batch_size(o, 7, NULL) == INSTASENT_OK, "7");
    CHECK(instasent_campaign_options_set_batch_size(o, 101, &err) == INSTASENT_INVALID_ARGUMENT, "101");
    CHECK(err && strstr(err->message, "between 1 and 100") != NULL, "%s", err ? err->message : "no error");
    instasent_error_free(err);
    CHECK(instasent_campaign_options_set_batch_size(o, 0, NULL) == INSTASENT_INVALID_ARGUMENT, "0");
    CHECK(instasent_campaign_options_set_concurrency(o, 0, &err) == INSTASENT_INVALID_ARGUMENT, "concurrency 0");
    CHECK(err && strstr(err->message, "concurrency") != NULL, "%s", err ? err->message : "no error");
    instasent_error_free(err);
    CHECK(instasent_campaign_options_set_resume(NULL, true, &err) == INSTASENT_NULL_ARGUMENT, "NULL options");
    CHECK(err && strstr(err->message, "options"), "%s", err ? err->message : "no error");
    instasent_error_free(err);
    instasent_campaign *c = NULL;
    CHECK(instasent_campaign_start(client, o, &c, NULL) == INSTASENT_OK, "-");
    instasent_campaign_options_free(o);
    char *lines = campaign_lines(0, 20, -1);
    CHECK(instasent_campaign_push_json(c, lines, NULL) == INSTASENT_OK, "-");
    free(lines);
    CHECK(instasent_campaign_end(c, NULL) == INSTASENT_OK, "-");
    unsigned char seen[20] = {0};
    int taken = 0, accepted = 0, rejected_at = -1, rounds = 0;
    while (!take_results(c, 5000, seen, 20, &taken, &accepted, &rejected_at) && rounds++ < 1000) {}
    char *progress = NULL;
    CHECK(instasent_campaign_next_json(c, 0, &progress, NULL) == INSTASENT_OK, "-");
    /* 20 messages in batches of 7: 3 requests (the refused 101 and 0 changed nothing). */
    CHECK(accepted == 20 && progress && (strstr(progress, "\"requests\":3,") || strstr(progress, "\"requests\":3}")),
          "%d %s", accepted, progress ? progress : "");
    instasent_string_free(progress);
    instasent_campaign_free(c);

    /* validate false: the message with a bad number goes out and the API refuses it. */
    for (int validate = 0; validate <= 1; validate++) {
        o = instasent_campaign_options_new();
        CHECK(instasent_campaign_options_set_validate(o, validate, NULL) == INSTASENT_OK, "-");
        CHECK(instasent_campaign_start(client, o, &c, NULL) == INSTASENT_OK, "-");
        instasent_campaign_options_free(o);
        lines = campaign_lines(0, 2, 1);
        CHECK(instasent_campaign_push_json(c, lines, NULL) == INSTASENT_OK, "-");
        free(lines);
        CHECK(instasent_campaign_end(c, NULL) == INSTASENT_OK, "-");
        char *all = NULL;
        for (rounds = 0; rounds < 100; rounds++) {
            CHECK(instasent_campaign_next_json(c, 5000, &progress, NULL) == INSTASENT_OK, "-");
            size_t had = all ? strlen(all) : 0;
            all = realloc(all, had + strlen(progress) + 1);
            strcpy(all + had, progress);
            int done = strstr(progress, "\"done\":true") != NULL;
            instasent_string_free(progress);
            if (done) break;
        }
        const char *stage = validate ? "\"stage\":\"local\"" : "\"stage\":\"server\"";
        CHECK(all && strstr(all, "\"outcome\":\"rejected\"") && strstr(all, stage), "validate %d: %s", validate, all ? all : "");
        free(all);
        instasent_campaign_free(c);
    }
}

/* What was pushed counts against the bound until the call after the one that returned its
 * results; pushing is never held up by it. */
static void test_campaign_has_room(void) {
    enum { BATCH = 10, PUSHES = 4, INPUTS = BATCH * PUSHES };
    instasent_campaign_options *o = instasent_campaign_options_new();
    CHECK(instasent_campaign_options_set_batch_size(o, BATCH, NULL) == INSTASENT_OK, "-");
    CHECK(instasent_campaign_options_set_concurrency(o, 1, NULL) == INSTASENT_OK, "-"); /* bound: 10 × (2 × 1 + 2) = 40 messages */
    instasent_campaign *c = NULL;
    instasent_error *err = NULL;
    CHECK(instasent_campaign_start(client, o, &c, NULL) == INSTASENT_OK && c, "-");
    instasent_campaign_options_free(o);
    bool room = false;
    for (int p = 0; p < PUSHES; p++) {
        CHECK(instasent_campaign_has_room(c, &room, &err) == INSTASENT_OK && room, "room before push %d", p);
        char *lines = campaign_lines(p * BATCH, BATCH, -1);
        CHECK(instasent_campaign_push_json(c, lines, NULL) == INSTASENT_OK, "-");
        free(lines);
    }
    CHECK(instasent_campaign_has_room(c, &room, NULL) == INSTASENT_OK && !room, "40 held: no room for 10 more");
    CHECK(instasent_campaign_end(c, NULL) == INSTASENT_OK, "-");
    unsigned char seen[INPUTS] = {0};
    int taken = 0, accepted = 0, rejected_at = -1, rounds = 0;
    while (!take_results(c, 5000, seen, INPUTS, &taken, &accepted, &rejected_at) && rounds++ < 1000) {}
    CHECK(taken == INPUTS && accepted == INPUTS, "taken %d, accepted %d", taken, accepted);
    CHECK(instasent_campaign_has_room(c, &room, NULL) == INSTASENT_OK && room, "room once every result was taken");
    CHECK(instasent_campaign_stop(c, NULL) == INSTASENT_OK, "-");
    CHECK(instasent_campaign_has_room(c, &room, NULL) == INSTASENT_OK && !room, "no room once stopped");
    CHECK(instasent_campaign_has_room(c, NULL, &err) == INSTASENT_NULL_ARGUMENT && err && strstr(err->message, "room"),
          "NULL room");
    instasent_error_free(err);
    CHECK(instasent_campaign_has_room(NULL, &room, NULL) == INSTASENT_NULL_ARGUMENT, "NULL campaign");
    instasent_campaign_free(c);
}

int main(void) {
    if (!start_sandbox_and_client(0, &sandbox, &client)) return 1;

    test_campaign();
    test_campaign_streamed();
    test_campaign_options_refuse_out_of_range();
    test_campaign_has_room();

    instasent_client_free(client);
    instasent_sandbox_free(sandbox);
    return check_summary("test_campaign");
}
