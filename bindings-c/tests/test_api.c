/* The whole C API against a sandbox started with instasent_sandbox_start. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "fixture.h"
#include "instasent.h"
#include "json.h"

static instasent_sandbox *sandbox;
static instasent_client *client;

/* entity.<field> of a response body, copied; NULL when absent. */
static char *entity_field(const instasent_response *r, const char *field) {
    json_node *root = json_parse(r->body, strlen(r->body), NULL);
    const json_node *v = json_get(json_get(root, "entity"), field);
    char *out = v && v->type == JSON_STRING ? strdup(v->string) : NULL;
    json_free(root);
    return out;
}

static size_t entities_count(const instasent_response *r) {
    json_node *root = json_parse(r->body, strlen(r->body), NULL);
    const json_node *v = json_get(root, "entities");
    size_t n = v && v->type == JSON_ARRAY ? v->count : (size_t)-1;
    json_free(root);
    return n;
}

#define EXPECT_STATUS(call, want)                                                             \
    do {                                                                                      \
        instasent_response *r_ = NULL;                                                        \
        instasent_error *e_ = NULL;                                                           \
        instasent_code c_ = (call);                                                           \
        CHECK(c_ == INSTASENT_OK && r_ && r_->status == (want) && !e_, "%s -> %s %d %s", #call, \
              instasent_code_name(c_), r_ ? r_->status : -1, e_ ? e_->message : (r_ ? r_->body : "")); \
        instasent_response_free(r_);                                                          \
        instasent_error_free(e_);                                                             \
    } while (0)

/* Client options with `base_url` set (and retries off when `no_retries`); the caller frees them. */
static instasent_options *options_at(const char *url, int no_retries) {
    instasent_options *o = instasent_options_new();
    CHECK(instasent_options_set_base_url(o, url, NULL) == INSTASENT_OK, "-");
    if (no_retries) CHECK(instasent_options_set_max_retries(o, 0, NULL) == INSTASENT_OK, "-");
    return o;
}

static instasent_client *client_at(const char *token, const char *url) {
    instasent_options *o = options_at(url, 0);
    instasent_client *c = NULL;
    instasent_error *err = NULL;
    CHECK(instasent_client_new(token, o, &c, &err) == INSTASENT_OK && c, "%s", err ? err->message : "");
    instasent_options_free(o);
    return c;
}

static void test_free_accepts_null(void) {
    instasent_options_free(NULL);
    instasent_campaign_options_free(NULL);
    instasent_sandbox_options_free(NULL);
    instasent_error_free(NULL);
    instasent_response_free(NULL);
    instasent_client_free(NULL);
    instasent_string_free(NULL);
    instasent_segment_info_free(NULL);
    instasent_delivery_report_free(NULL);
    instasent_sandbox_free(NULL);
    instasent_dlr_tracker_free(NULL);
    CHECK(1, "-");
}

static void test_code_names(void) {
    CHECK_STR(instasent_code_name(INSTASENT_OK), "OK");
    CHECK_STR(instasent_code_name(INSTASENT_RATE_LIMITED), "RATE_LIMITED");
    CHECK_STR(instasent_code_name(INSTASENT_PANIC), "PANIC");
    CHECK_STR(instasent_code_name(999), "UNKNOWN");
}

static void test_client_new_rejects_bad_arguments(void) {
    instasent_client *c = (instasent_client *)0x1;
    instasent_error *err = NULL;
    CHECK(instasent_client_new(NULL, NULL, &c, &err) == INSTASENT_NULL_ARGUMENT && c == NULL, "NULL token");
    CHECK(err && err->code == INSTASENT_NULL_ARGUMENT && strstr(err->message, "token"), "message names the arg");
    instasent_error_free(err);
    CHECK(instasent_client_new("", NULL, &c, &err) == INSTASENT_INVALID_ARGUMENT, "empty token");
    CHECK(err && err->http_status == 0 && err->body == NULL, "no HTTP status for a local error");
    instasent_error_free(err);
    CHECK(instasent_client_new("t", NULL, NULL, &err) == INSTASENT_NULL_ARGUMENT, "NULL out");
    instasent_error_free(err);
    instasent_options *o = options_at("http://example.com/transactional/v1", 0);
    CHECK(instasent_client_new("t", o, &c, NULL) == INSTASENT_INVALID_ARGUMENT, "plain http to a remote host");
    instasent_options_free(o);
    o = options_at("ftp://127.0.0.1/", 0);
    CHECK(instasent_client_new("t", o, &c, &err) == INSTASENT_INVALID_ARGUMENT, "not http(s)");
    instasent_error_free(err);
    instasent_options_free(o);
    const char bad_utf8[] = {'t', (char)0xC3, (char)0x28, 0};
    CHECK(instasent_client_new(bad_utf8, NULL, &c, &err) == INSTASENT_INVALID_UTF8, "invalid UTF-8 token");
    CHECK(err && err->code == INSTASENT_INVALID_UTF8, "error struct carries the code");
    instasent_error_free(err);
}

static void test_sms(void) {
    instasent_response *r = NULL;
    instasent_error *err = NULL;
    CHECK(instasent_send_sms(client, "Acme", "+34600000001", "Hello from C", NULL, &r, &err) == INSTASENT_OK,
          "send: %s", err ? err->message : "");
    CHECK(r && r->status == 201, "201, got %d", r ? r->status : -1);
    char *id = r ? entity_field(r, "id") : NULL;
    char *generated = r ? entity_field(r, "clientId") : NULL;
    CHECK(id && *id, "entity.id in %s", r ? r->body : "");
    CHECK(generated && strlen(generated) == 32, "a clientId is generated when none is given");
    instasent_response_free(r);

    CHECK(instasent_get_sms_by_id(client, id ? id : "x", &r, &err) == INSTASENT_OK && r->status == 200, "by id");
    char *again = entity_field(r, "id");
    CHECK_STR(again, id);
    free(again);
    instasent_response_free(r);
    free(id);
    free(generated);

    CHECK(instasent_send_sms(client, "Acme", "+34600000002", "with id", "my-ref-1", &r, &err) == INSTASENT_OK, "-");
    char *cid = r ? entity_field(r, "clientId") : NULL;
    CHECK_STR(cid, "my-ref-1");
    free(cid);
    instasent_response_free(r);

    /* After an ambiguous send: the message its clientId names, or NOT_FOUND. */
    char *found = NULL;
    CHECK(instasent_find_sms_by_client_id(client, "my-ref-1", &found, &err) == INSTASENT_OK,
          "find: %s", err ? err->message : "");
    CHECK(found && strstr(found, "\"clientId\":\"my-ref-1\"") && strstr(found, "\"to\":\"+34600000002\"") &&
              strstr(found, "\"text\":\"with id\""),
          "%s", found ? found : "(null)");
    instasent_string_free(found);
    found = NULL;
    CHECK(instasent_find_sms_by_client_id(client, "nobody-sent-this", &found, &err) == INSTASENT_NOT_FOUND && !found,
          "absent");
    CHECK(err && strstr(err->message, "\"nobody-sent-this\""), "%s", err ? err->message : "");
    instasent_error_free(err);
    CHECK(instasent_find_sms_by_client_id(client, "", &found, &err) == INSTASENT_INVALID_ARGUMENT && !found,
          "an empty clientId");
    instasent_error_free(err);
    CHECK(instasent_find_sms_by_client_id(client, NULL, &found, NULL) == INSTASENT_NULL_ARGUMENT, "NULL clientId");
    CHECK(instasent_find_sms_by_client_id(client, "my-ref-1", NULL, NULL) == INSTASENT_NULL_ARGUMENT, "NULL out");

    CHECK(instasent_send_unicode_sms(client, "Acme", "+34600000003", "Unicode test: ña éáíóú 😀", NULL, &r, &err) ==
              INSTASENT_OK && r->status == 201, "unicode: %s", err ? err->message : "");
    char *encoding = r ? entity_field(r, "encoding") : NULL;
    CHECK_STR(encoding, "UCS-2");
    free(encoding);
    instasent_response_free(r);

    CHECK(instasent_get_sms(client, 1, 2, &r, &err) == INSTASENT_OK && r->status == 200, "page");
    CHECK(r && entities_count(r) == 2, "per_page 2 gives 2 of 3: %s", r ? r->body : "");
    instasent_response_free(r);

    EXPECT_STATUS(instasent_get_sms_by_id(client, "does-not-exist", &r_, &e_), 404);

    /* A documented-rule violation never leaves the machine: an error without HTTP status. */
    CHECK(instasent_send_sms(client, "Acme", "not-a-number", "x", NULL, &r, &err) == INSTASENT_VALIDATION && !r,
          "local validation");
    CHECK(err && err->http_status == 0 && strstr(err->message, "to"), "%s", err ? err->message : "");
    /* The fields, apart from the message: what a program branches on. */
    CHECK(err && err->fields_json && strstr(err->fields_json, "\"to\":[\""), "%s",
          err && err->fields_json ? err->fields_json : "(null)");
    CHECK(err && !err->maybe_committed && err->retry_after_ms == -1, "-");
    instasent_error_free(err);
}

static void test_version(void) {
    char header[32];
    snprintf(header, sizeof header, "%d.%d.%d", INSTASENT_VERSION_MAJOR, INSTASENT_VERSION_MINOR,
             INSTASENT_VERSION_PATCH);
    CHECK_STR(instasent_version(), header);
}

/* A server on a loopback port, in a forked child: `answer` handles each connection, which is then
 * closed. Writes its base URL to `url`; the caller kills and reaps the child. */
static pid_t serve_forked(void (*answer)(int conn), char *url, size_t url_size) {
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    CHECK(bind(listener, (struct sockaddr *)&addr, sizeof addr) == 0 && listen(listener, 8) == 0 &&
              getsockname(listener, (struct sockaddr *)&addr, &len) == 0,
          "listen");
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        for (;;) {
            int conn = accept(listener, NULL, NULL);
            if (conn < 0) _exit(0);
            answer(conn);
            close(conn);
        }
    }
    close(listener);
    snprintf(url, url_size, "http://127.0.0.1:%d/transactional/v1", ntohs(addr.sin_port));
    return pid;
}

/* Reads the request, then hangs up without a word. */
static void hang_up(int conn) {
    char buf[4096];
    (void)!read(conn, buf, sizeof buf);
}

/* Answers 404 with the request head it read as the body. */
static void echo_head(int conn) {
    char head[4096];
    size_t got = 0;
    head[0] = 0;
    while (got < sizeof head - 1) {
        ssize_t n = read(conn, head + got, sizeof head - 1 - got);
        if (n <= 0) break;
        got += (size_t)n;
        head[got] = 0;
        if (strstr(head, "\r\n\r\n")) break;
    }
    char answer[4400];
    int n = snprintf(answer, sizeof answer,
                     "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n%s", got, head);
    (void)!write(conn, answer, (size_t)n);
}

/* A send whose request goes out and gets no answer: AMBIGUOUS_OUTCOME, with the message's
 * clientId on the error to look it up by (it was only inside the message text before). */
static void test_ambiguous_send_names_its_client_id(void) {
    char url[64];
    pid_t pid = serve_forked(hang_up, url, sizeof url);
    instasent_options *o = options_at(url, 1);
    instasent_client *c = NULL;
    instasent_response *r = NULL;
    instasent_error *err = NULL;
    CHECK(instasent_client_new("t", o, &c, NULL) == INSTASENT_OK, "-");
    instasent_options_free(o);
    instasent_code code = instasent_send_sms(c, "Acme", "+34600000077", "x", "order-77", &r, &err);
    CHECK(code == INSTASENT_AMBIGUOUS_OUTCOME && !r, "got %s", instasent_code_name(code));
    CHECK(err && err->client_id && strcmp(err->client_id, "order-77") == 0, "client_id %s",
          err && err->client_id ? err->client_id : "(null)");
    CHECK(err && err->maybe_committed && err->http_status == 0 && err->fields_json == NULL, "-");
    instasent_error_free(err);
    instasent_client_free(c);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

/* The options the setters take reach the request: a server that answers 404 with the request
 * head it read shows the user agent and where the token went. */
static void test_client_options_reach_the_request(void) {
    char url[64];
    pid_t pid = serve_forked(echo_head, url, sizeof url);
    instasent_options *o = options_at(url, 1);
    instasent_error *err = NULL;
    CHECK(instasent_options_set_user_agent(o, "myapp/1.0", &err) == INSTASENT_OK, "-");
    CHECK(instasent_options_set_token_in_query(o, true, NULL) == INSTASENT_OK, "-");
    CHECK(instasent_options_set_connect_timeout_ms(o, 2000, NULL) == INSTASENT_OK, "-");
    CHECK(instasent_options_set_pacing(o, false, NULL) == INSTASENT_OK, "-");
    instasent_client *c = NULL;
    CHECK(instasent_client_new("echo-token", o, &c, &err) == INSTASENT_OK, "%s", err ? err->message : "");
    /* The client copied them: freeing the options (or setting them again) changes nothing. */
    CHECK(instasent_options_set_user_agent(o, "other/2.0", NULL) == INSTASENT_OK, "-");
    instasent_options_free(o);
    instasent_response *r = NULL;
    CHECK(instasent_get_account_balance(c, &r, &err) == INSTASENT_OK && r && r->status == 404, "%s",
          err ? err->message : "");
    CHECK(r && strstr(r->body, "myapp/1.0 instasent-rust/"), "user agent: %s", r ? r->body : "");
    /* The token went in the query (the library hides its value in what it hands back). */
    CHECK(r && strstr(r->body, "?access_token=") && !strstr(r->body, "echo-token") && !strstr(r->body, "authorization"),
          "token in the query: %s", r ? r->body : "");
    instasent_response_free(r);
    instasent_client_free(c);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

/* Values the core cannot use are refused by instasent_client_new, naming the option; a setter
 * refuses only what it cannot read. */
static void test_client_options_out_of_range(void) {
    struct {
        const char *what;
        instasent_code (*set)(instasent_options *, uint64_t, instasent_error **);
        const char *named;
    } zero_timeouts[] = {
        {"timeout", instasent_options_set_timeout_ms, "timeout"},
        {"connect timeout", instasent_options_set_connect_timeout_ms, "connect timeout"},
    };
    instasent_client *c = (instasent_client *)0x1;
    instasent_error *err = NULL;
    for (size_t i = 0; i < sizeof zero_timeouts / sizeof *zero_timeouts; i++) {
        instasent_options *o = instasent_options_new();
        CHECK(zero_timeouts[i].set(o, 0, NULL) == INSTASENT_OK, "-");
        CHECK(instasent_client_new("t", o, &c, &err) == INSTASENT_INVALID_ARGUMENT && c == NULL, "%s 0", zero_timeouts[i].what);
        CHECK(err && strstr(err->message, zero_timeouts[i].named), "%s", err ? err->message : "");
        instasent_error_free(err);
        instasent_options_free(o);
    }
    instasent_options *o = instasent_options_new();
    CHECK(instasent_options_set_concurrency(o, 0, NULL) == INSTASENT_OK, "-");
    CHECK(instasent_client_new("t", o, &c, &err) == INSTASENT_INVALID_ARGUMENT, "concurrency 0");
    CHECK(err && strstr(err->message, "concurrency"), "%s", err ? err->message : "");
    instasent_error_free(err);
    instasent_options_free(o);
    o = instasent_options_new();
    CHECK(instasent_options_set_user_agent(o, "caf\xc3\xa9/1", NULL) == INSTASENT_OK, "UTF-8 is readable");
    CHECK(instasent_client_new("t", o, &c, &err) == INSTASENT_INVALID_ARGUMENT, "not ASCII");
    CHECK(err && strstr(err->message, "user agent"), "%s", err ? err->message : "");
    instasent_error_free(err);
    const char bad[] = {'h', (char)0xFF, 0};
    CHECK(instasent_options_set_base_url(o, bad, &err) == INSTASENT_INVALID_UTF8, "-");
    CHECK(err && strstr(err->message, "base_url"), "%s", err ? err->message : "");
    instasent_error_free(err);
    CHECK(instasent_options_set_user_agent(o, NULL, NULL) == INSTASENT_OK, "NULL: the library's own");
    /* Plain http to a remote host: refused, then allowed on request (no request is made). */
    CHECK(instasent_options_set_base_url(o, "http://example.com/transactional/v1", NULL) == INSTASENT_OK, "-");
    CHECK(instasent_client_new("t", o, &c, &err) == INSTASENT_INVALID_ARGUMENT, "insecure");
    instasent_error_free(err);
    CHECK(instasent_options_set_allow_insecure_http(o, true, NULL) == INSTASENT_OK, "-");
    CHECK(instasent_client_new("t", o, &c, &err) == INSTASENT_OK && c, "%s", err ? err->message : "");
    instasent_client_free(c);
    instasent_options_free(o);
    CHECK(instasent_options_set_pacing(NULL, true, &err) == INSTASENT_NULL_ARGUMENT, "NULL options");
    CHECK(err && strstr(err->message, "options"), "%s", err ? err->message : "");
    instasent_error_free(err);
}

static void test_http_errors_are_responses(void) {
    const char *url = NULL;
    instasent_sandbox_base_url(sandbox, &url);
    instasent_client *wrong = client_at("wrong-token", url);
    EXPECT_STATUS(instasent_get_account_balance(wrong, &r_, &e_), 401);
    EXPECT_STATUS(instasent_send_sms(wrong, "Acme", "+34600000009", "x", NULL, &r_, &e_), 401);
    instasent_client_free(wrong);
}

static void test_transport_error(void) {
    instasent_options *o = options_at("http://127.0.0.1:9/transactional/v1", 1); /* discard port: nothing listens */
    CHECK(instasent_options_set_timeout_ms(o, 2000, NULL) == INSTASENT_OK, "-");
    instasent_client *c = NULL;
    instasent_response *r = NULL;
    instasent_error *err = NULL;
    CHECK(instasent_client_new("t", o, &c, NULL) == INSTASENT_OK, "-");
    instasent_options_free(o);
    instasent_code code = instasent_get_account_balance(c, &r, &err);
    CHECK(code == INSTASENT_TRANSPORT && r == NULL, "got %s", instasent_code_name(code));
    CHECK(err && err->http_status == 0 && strlen(err->message) > 0, "-");
    CHECK(err && !strstr(err->message, "\"t\""), "never shows the token");
    instasent_error_free(err);
    instasent_client_free(c);
}

static void test_bulk(void) {
    EXPECT_STATUS(instasent_send_bulk_sms(client,
                                          "[{\"from\":\"Acme\",\"to\":\"+34600000010\",\"text\":\"a\"},"
                                          "{\"from\":\"Acme\",\"to\":\"+34600000011\",\"text\":\"b\"},"
                                          "{\"from\":\"Acme\",\"to\":\"bad\",\"text\":\"c\"}]",
                                          &r_, &e_),
                  201);
    instasent_response *r = NULL;
    instasent_error *err = NULL;
    CHECK(instasent_send_bulk_sms(client, "[{\"from\":\"Acme\",\"to\":\"+34600000012\",\"text\":\"a\"}]", &r, &err) ==
              INSTASENT_OK, "-");
    CHECK(r && strstr(r->body, "\"entities\"") && strstr(r->body, "\"errors\""), "%s", r ? r->body : "");
    instasent_response_free(r);
    CHECK(instasent_send_bulk_sms(client, "{not json", &r, &err) == INSTASENT_INVALID_ARGUMENT, "malformed JSON");
    instasent_error_free(err);
    CHECK(instasent_send_bulk_sms(client, "[]", &r, &err) == INSTASENT_INVALID_ARGUMENT, "empty bulk");
    instasent_error_free(err);
    /* A value of the wrong type is named by where it sits; nothing is sent. */
    CHECK(instasent_send_bulk_sms(client,
                                  "[{\"from\":\"Acme\",\"to\":\"+34600000013\",\"text\":\"a\"},"
                                  "{\"from\":\"Acme\",\"to\":34600000014,\"text\":\"b\"}]",
                                  &r, &err) == INSTASENT_INVALID_ARGUMENT && !r,
          "a number for `to`");
    CHECK(err && strstr(err->message, "message 1: to: invalid type: integer"), "%s", err ? err->message : "");
    instasent_error_free(err);
    char *ledger = NULL;
    CHECK(instasent_sandbox_messages_json(sandbox, &ledger, NULL) == INSTASENT_OK && ledger &&
              !strstr(ledger, "+34600000013"),
          "the valid message of a refused bulk was not sent");
    instasent_string_free(ledger);
    CHECK(instasent_send_bulk_sms(client, "[{\"from\":\"Acme\",\"to\":\"+34600000015\",\"text\":\"a\"}] []",
                                  &r, &err) == INSTASENT_INVALID_ARGUMENT && !r,
          "trailing characters");
    CHECK(err && strstr(err->message, "trailing characters"), "%s", err ? err->message : "");
    instasent_error_free(err);
}

static void test_lookup_account_prices(void) {
    instasent_response *r = NULL;
    instasent_error *err = NULL;
    CHECK(instasent_do_lookup(client, "+34600000020", &r, &err) == INSTASENT_OK && r->status == 201,
          "lookup: %d %s", r ? r->status : -1, r ? r->body : "");
    char *id = r ? entity_field(r, "id") : NULL;
    instasent_response_free(r);
    EXPECT_STATUS(instasent_get_lookup_by_id(client, id ? id : "x", &r_, &e_), 200);
    free(id);
    EXPECT_STATUS(instasent_get_lookup_by_id(client, "no-such-lookup", &r_, &e_), 404);
    EXPECT_STATUS(instasent_get_lookups(client, 1, 10, &r_, &e_), 200);
    CHECK(instasent_get_account_balance(client, &r, &err) == INSTASENT_OK && r->status == 200, "balance");
    CHECK(r && strstr(r->body, "\"available\""), "%s", r ? r->body : "");
    instasent_response_free(r);
    EXPECT_STATUS(instasent_get_sms_price_profile(client, &r_, &e_), 200);
    EXPECT_STATUS(instasent_get_lookup_price_profile(client, &r_, &e_), 200);
}

static void test_verify(void) {
    instasent_response *r = NULL;
    instasent_error *err = NULL;
    CHECK(instasent_request_verify(client, "Acme", "+34600000030", "Your code is %token%", 6, 300, NULL, &r, &err) ==
              INSTASENT_OK && r->status == 201, "request: %d %s", r ? r->status : -1, r ? r->body : "");
    char *id = r ? entity_field(r, "id") : NULL;
    instasent_response_free(r);
    char *code = NULL;
    CHECK(instasent_sandbox_verify_code(sandbox, id ? id : "x", &code, &err) == INSTASENT_OK && code &&
              strlen(code) == 6, "6-digit code");
    instasent_error_free(err);
    err = NULL;
    CHECK(instasent_check_verify(client, id ? id : "x", "000000x", &r, &err) == INSTASENT_OK, "wrong code");
    char *status = r ? entity_field(r, "status") : NULL;
    CHECK(status == NULL || strcmp(status, "verified") != 0, "a wrong code does not verify");
    free(status);
    instasent_response_free(r);
    CHECK(instasent_check_verify(client, id ? id : "x", code ? code : "", &r, &err) == INSTASENT_OK && r->status == 200,
          "check");
    status = r ? entity_field(r, "status") : NULL;
    CHECK_STR(status, "verified");
    free(status);
    instasent_response_free(r);
    EXPECT_STATUS(instasent_get_verify_by_id(client, id ? id : "x", &r_, &e_), 200);
    EXPECT_STATUS(instasent_get_verify(client, 1, 10, &r_, &e_), 200);
    instasent_string_free(code);
    CHECK(instasent_sandbox_verify_code(sandbox, "nope", &code, &err) == INSTASENT_NOT_FOUND && code == NULL, "-");
    instasent_error_free(err);
    free(id);
}

static void test_bad_inputs(void) {
    instasent_response *r = (instasent_response *)0x1;
    instasent_error *err = NULL;
    CHECK(instasent_send_sms(NULL, "a", "b", "c", NULL, &r, &err) == INSTASENT_NULL_ARGUMENT && r == NULL, "NULL client");
    instasent_error_free(err);
    CHECK(instasent_send_sms(client, "Acme", NULL, "c", NULL, &r, &err) == INSTASENT_NULL_ARGUMENT, "NULL to");
    CHECK(err && strstr(err->message, "`to`"), "%s", err ? err->message : "");
    instasent_error_free(err);
    CHECK(instasent_send_sms(client, "Acme", "+34600000000", "x", NULL, NULL, NULL) == INSTASENT_NULL_ARGUMENT,
          "NULL out, NULL err");
    const char bad[] = {'h', (char)0xFF, 'i', 0};
    CHECK(instasent_send_sms(client, "Acme", "+34600000000", bad, NULL, &r, &err) == INSTASENT_INVALID_UTF8, "-");
    instasent_error_free(err);
    size_t big = (1u << 20) + 1;
    char *huge = malloc(big + 1);
    memset(huge, 'a', big);
    huge[big] = '\0';
    CHECK(instasent_send_sms(client, "Acme", "+34600000000", huge, NULL, &r, &err) == INSTASENT_INVALID_ARGUMENT,
          "over 1 MiB");
    CHECK(err && strstr(err->message, "1 MiB"), "%s", err ? err->message : "");
    instasent_error_free(err);
    instasent_segment_info *info = NULL;
    CHECK(instasent_segments(huge, false, &info, NULL) == INSTASENT_INVALID_ARGUMENT && !info, "-");
    instasent_delivery_report *rep = NULL;
    CHECK(instasent_parse_dlr(huge, big, &rep, NULL) == INSTASENT_INVALID_ARGUMENT && !rep, "-");
    free(huge);
    CHECK(instasent_parse_dlr(NULL, 0, &rep, NULL) == INSTASENT_NULL_ARGUMENT, "-");
}

static void test_segments(void) {
    instasent_segment_info *info = NULL;
    CHECK(instasent_segments("Hello {world}", false, &info, NULL) == INSTASENT_OK, "-");
    CHECK(info && info->encoding == INSTASENT_ENCODING_GSM7 && info->units == 15 && info->segments == 1,
          "braces are extension characters: 2 septets each");
    CHECK_STR(info ? info->encoding_name : NULL, "GSM-7");
    instasent_segment_info_free(info);
    char long_text[200];
    memset(long_text, 'x', 161);
    long_text[161] = '\0';
    CHECK(instasent_segments(long_text, false, &info, NULL) == INSTASENT_OK && info->segments == 2 &&
              info->parts_count == 2 && strlen(info->parts[0]) == 153 && strlen(info->parts[1]) == 8,
          "161 septets split 153 + 8");
    instasent_segment_info_free(info);
    CHECK(instasent_segments("\xE2\x80\x9CHi\xE2\x80\x9D", true, &info, NULL) == INSTASENT_OK &&
              info->encoding == INSTASENT_ENCODING_GSM7, "smart quotes become GSM-7");
    CHECK_STR(info ? info->text : NULL, "\"Hi\"");
    instasent_segment_info_free(info);
    char *encoded = NULL;
    CHECK(instasent_smart_encode("\xE2\x80\x9CHi\xE2\x80\x9D", &encoded, NULL) == INSTASENT_OK, "-");
    CHECK_STR(encoded, "\"Hi\"");
    instasent_string_free(encoded);
    instasent_error *err = NULL;
    CHECK(instasent_segments_with_shift("x", false, "klingon", &info, &err) == INSTASENT_INVALID_ARGUMENT, "-");
    CHECK(err && strstr(err->message, "spanish"), "says which names exist");
    instasent_error_free(err);
}

static void test_dlr(void) {
    const char *hook = "{\"id\":\"sms-1\",\"clientId\":\"c-1\",\"status\":\"delivered\",\"code\":0,"
                       "\"eventAt\":\"2026-04-21T10:15:00Z\"}";
    instasent_delivery_report *r = NULL;
    CHECK(instasent_parse_dlr(hook, strlen(hook), &r, NULL) == INSTASENT_OK, "-");
    CHECK_STR(r ? r->status : NULL, "delivered");
    CHECK_STR(r ? r->client_id : NULL, "c-1");
    CHECK(r && r->is_final && r->has_code && r->code == 0 && r->delivered == -1, "-");
    instasent_delivery_report_free(r);
    CHECK(instasent_parse_smpp_receipt("id:42 sub:001 dlvrd:001 submit date:2604211010 done date:2604211015 "
                                       "stat:DELIVRD err:000 text:none",
                                       &r, NULL) == INSTASENT_OK, "-");
    CHECK_STR(r ? r->raw_status : NULL, "DELIVRD");
    CHECK(r && r->delivered == 1, "-");
    instasent_delivery_report_free(r);
    instasent_error *err = NULL;
    CHECK(instasent_parse_dlr("garbage", 7, &r, &err) == INSTASENT_DECODE && !r, "-");
    instasent_error_free(err);
}

/* Parses a webhook body and records it; returns the outcome (or -1 when a call failed). */
static int record_webhook(instasent_dlr_tracker *t, const char *body) {
    instasent_delivery_report *r = NULL;
    instasent_track_outcome outcome = INSTASENT_TRACK_STALE;
    int ok = instasent_parse_webhook(body, strlen(body), &r, NULL) == INSTASENT_OK &&
             instasent_dlr_tracker_record(t, r, &outcome, NULL) == INSTASENT_OK;
    instasent_delivery_report_free(r);
    return ok ? (int)outcome : -1;
}

static void test_dlr_tracker(void) {
    instasent_dlr_tracker *t = NULL;
    CHECK(instasent_dlr_tracker_new(&t, NULL) == INSTASENT_OK && t, "-");
    const char *sent = "{\"id\":\"m1\",\"status\":\"sent\",\"code\":0,\"eventAt\":\"2026-04-21T10:00:00Z\"}";
    const char *failed = "{\"id\":\"m1\",\"status\":\"failed\",\"code\":3,\"eventAt\":\"2026-04-21T10:00:05Z\"}";
    const char *other = "{\"id\":\"m2\",\"status\":\"delivered\",\"code\":0,\"eventAt\":\"2026-04-21T10:00:01Z\"}";
    CHECK(record_webhook(t, sent) == INSTASENT_TRACK_APPLIED, "first report applied");
    CHECK(record_webhook(t, sent) == INSTASENT_TRACK_DUPLICATE, "a redelivered webhook is a duplicate");
    CHECK(record_webhook(t, failed) == INSTASENT_TRACK_APPLIED, "a later final status applied");
    CHECK(record_webhook(t, sent) == INSTASENT_TRACK_STALE, "nothing in flight replaces a final status");
    CHECK(record_webhook(t, other) == INSTASENT_TRACK_APPLIED, "-");

    instasent_delivery_report *r = NULL;
    CHECK(instasent_dlr_tracker_get(t, "m1", &r, NULL) == INSTASENT_OK && r, "get m1");
    CHECK_STR(r ? r->status : NULL, "failed");
    CHECK(r && r->is_final && r->has_code && r->code == 3, "the final report is held");
    CHECK_STR(r ? r->code_meaning : NULL, "Absent permanently");
    /* A report from get can be recorded again (it is the same state: a duplicate). */
    instasent_track_outcome outcome = INSTASENT_TRACK_APPLIED;
    CHECK(instasent_dlr_tracker_record(t, r, &outcome, NULL) == INSTASENT_OK && outcome == INSTASENT_TRACK_DUPLICATE,
          "got %d", (int)outcome);
    /* Its JSON too, the form other bindings hand over. */
    CHECK(r && instasent_dlr_tracker_record_json(t, r->json, NULL, NULL) == INSTASENT_OK, "outcome may be NULL");
    instasent_delivery_report_free(r);

    char *counts = NULL;
    CHECK(instasent_dlr_tracker_counts_json(t, &counts, NULL) == INSTASENT_OK, "-");
    CHECK_STR(counts, "{\"delivered\":1,\"failed\":1}");
    instasent_string_free(counts);

    /* In flight: m3 (sent); m1 failed and m2 delivered are final. */
    const char *in_flight = "{\"id\":\"m3\",\"status\":\"sent\",\"code\":0,\"eventAt\":\"2026-04-21T10:00:02Z\"}";
    CHECK(record_webhook(t, in_flight) == INSTASENT_TRACK_APPLIED, "-");
    char *pending = NULL;
    CHECK(instasent_dlr_tracker_pending_json(t, &pending, NULL) == INSTASENT_OK && pending, "-");
    CHECK(pending && pending[0] == '[' && strstr(pending, "\"id\":\"m3\"") && !strstr(pending, "\"id\":\"m1\"") &&
              !strstr(pending, "\"id\":\"m2\""), "%s", pending ? pending : "");
    instasent_string_free(pending);
    /* Removed once stored elsewhere: handed back, then gone. */
    CHECK(instasent_dlr_tracker_remove(t, "m3", &r, NULL) == INSTASENT_OK && r, "remove m3");
    CHECK_STR(r ? r->status : NULL, "sent");
    instasent_delivery_report_free(r);
    CHECK(instasent_dlr_tracker_pending_json(t, &pending, NULL) == INSTASENT_OK, "-");
    CHECK_STR(pending, "[]");
    instasent_string_free(pending);
    r = (instasent_delivery_report *)0x1;
    CHECK(instasent_dlr_tracker_remove(t, "m3", &r, NULL) == INSTASENT_NOT_FOUND && r == NULL, "removed once");
    CHECK(instasent_dlr_tracker_get(t, "m3", &r, NULL) == INSTASENT_NOT_FOUND, "gone");

    instasent_error *err = NULL;
    r = (instasent_delivery_report *)0x1;
    CHECK(instasent_dlr_tracker_get(t, "never-sent", &r, &err) == INSTASENT_NOT_FOUND && r == NULL, "unknown id");
    CHECK(err && strstr(err->message, "never-sent"), "%s", err ? err->message : "");
    instasent_error_free(err);

    /* Bad input: clear codes, nothing recorded. */
    CHECK(instasent_dlr_tracker_record_json(t, "{\"id\":\"m3\",\"status\":\"delivered\"}", NULL, &err) ==
              INSTASENT_INVALID_ARGUMENT, "a raw webhook body is not a parsed report");
    CHECK(err && strstr(err->message, "instasent_parse_dlr"), "%s", err ? err->message : "");
    instasent_error_free(err);
    CHECK(instasent_dlr_tracker_record_json(t, "{not json", NULL, NULL) == INSTASENT_INVALID_ARGUMENT, "-");
    CHECK(instasent_dlr_tracker_record_json(t, NULL, NULL, &err) == INSTASENT_NULL_ARGUMENT, "NULL json");
    CHECK(err && strstr(err->message, "report_json"), "%s", err ? err->message : "");
    instasent_error_free(err);
    CHECK(instasent_dlr_tracker_record(t, NULL, NULL, NULL) == INSTASENT_NULL_ARGUMENT, "NULL report");
    CHECK(instasent_dlr_tracker_record(NULL, NULL, NULL, NULL) == INSTASENT_NULL_ARGUMENT, "NULL tracker");
    const char bad[] = {'m', (char)0xFF, 0};
    CHECK(instasent_dlr_tracker_record_json(t, bad, NULL, NULL) == INSTASENT_INVALID_UTF8, "-");
    CHECK(instasent_dlr_tracker_get(t, bad, &r, NULL) == INSTASENT_INVALID_UTF8, "-");
    CHECK(instasent_dlr_tracker_get(t, "m1", NULL, NULL) == INSTASENT_NULL_ARGUMENT, "NULL out");
    CHECK(instasent_dlr_tracker_get(NULL, "m1", &r, NULL) == INSTASENT_NULL_ARGUMENT, "-");
    CHECK(instasent_dlr_tracker_counts_json(NULL, &counts, NULL) == INSTASENT_NULL_ARGUMENT && !counts, "-");
    CHECK(instasent_dlr_tracker_new(NULL, NULL) == INSTASENT_NULL_ARGUMENT, "-");
    CHECK(instasent_dlr_tracker_counts_json(t, &counts, NULL) == INSTASENT_OK, "-");
    CHECK_STR(counts, "{\"delivered\":1,\"failed\":1}");
    instasent_string_free(counts);
    instasent_dlr_tracker_free(t);
}

static void test_sandbox_options_reject_bad_input(void) {
    instasent_sandbox_options *o = instasent_sandbox_options_new();
    instasent_sandbox *s = (instasent_sandbox *)0x1;
    instasent_error *err = NULL;
    CHECK(instasent_sandbox_options_set_webhook_url(o, "127.0.0.1:8089/dlr", NULL) == INSTASENT_OK, "-");
    CHECK(instasent_sandbox_start_with(o, &s, &err) == INSTASENT_INVALID_ARGUMENT && s == NULL, "no scheme");
    CHECK(err && strstr(err->message, "webhook"), "%s", err ? err->message : "");
    instasent_error_free(err);
    CHECK(instasent_sandbox_options_set_webhook_url(o, "http://", NULL) == INSTASENT_OK, "-");
    CHECK(instasent_sandbox_start_with(o, &s, NULL) == INSTASENT_INVALID_ARGUMENT, "no host");
    const char bad[] = {'h', 't', 't', 'p', ':', '/', '/', (char)0xFF, 0};
    CHECK(instasent_sandbox_options_set_webhook_url(o, bad, &err) == INSTASENT_INVALID_UTF8, "-");
    CHECK(err && strstr(err->message, "webhook_url"), "%s", err ? err->message : "");
    instasent_error_free(err);
    CHECK(instasent_sandbox_options_set_token(o, bad, NULL) == INSTASENT_INVALID_UTF8, "-");
    CHECK(instasent_sandbox_options_set_token(o, NULL, NULL) == INSTASENT_NULL_ARGUMENT, "a token is required");
    CHECK(instasent_sandbox_options_set_token(o, "has space", NULL) == INSTASENT_OK, "-");
    CHECK(instasent_sandbox_options_set_webhook_url(o, NULL, NULL) == INSTASENT_OK, "NULL: no webhook");
    CHECK(instasent_sandbox_start_with(o, &s, &err) == INSTASENT_INVALID_ARGUMENT, "a token with a space");
    instasent_error_free(err);
    instasent_sandbox_options_free(o);
    CHECK(instasent_sandbox_start_with(NULL, NULL, NULL) == INSTASENT_NULL_ARGUMENT, "NULL out");
}

/* NULL options: every default, as instasent_sandbox_start(NULL, ...). */
static void test_sandbox_start_with_defaults(void) {
    instasent_sandbox *s = NULL;
    CHECK(instasent_sandbox_start_with(NULL, &s, NULL) == INSTASENT_OK && s, "-");
    const char *url = NULL;
    instasent_sandbox_base_url(s, &url);
    instasent_client *c = client_at("sandbox-token", url);
    EXPECT_STATUS(instasent_get_account_balance(c, &r_, &e_), 200);
    instasent_client_free(c);
    instasent_sandbox_free(s);
}

/* A forked child that frees the parent's sandbox (a test runner's worker exiting) does so
 * quietly: its server thread is the parent's, and joining it there made std panic with a
 * backtrace on stderr. The parent's sandbox goes on serving. */
static void test_a_sandbox_freed_in_a_forked_child_is_quiet(void) {
    instasent_sandbox *s = NULL;
    CHECK(instasent_sandbox_start(NULL, &s, NULL) == INSTASENT_OK, "-");
    int err_pipe[2];
    CHECK(pipe(err_pipe) == 0, "pipe");
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(err_pipe[1], 2);
        close(err_pipe[0]);
        instasent_sandbox_free(s);
        _exit(0);
    }
    close(err_pipe[1]);
    char said[512] = {0};
    ssize_t n = read(err_pipe[0], said, sizeof said - 1);
    close(err_pipe[0]);
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
    CHECK(n == 0, "the child printed: %s", said);
    char *ledger = NULL;
    CHECK(instasent_sandbox_messages_json(s, &ledger, NULL) == INSTASENT_OK && ledger, "the parent's sandbox still answers");
    instasent_string_free(ledger);
    instasent_sandbox_free(s);
}

int main(void) {
    test_free_accepts_null();
    test_code_names();
    test_version();
    test_ambiguous_send_names_its_client_id();
    test_client_new_rejects_bad_arguments();
    test_client_options_reach_the_request();
    test_client_options_out_of_range();
    test_transport_error();
    test_segments();
    test_dlr();
    test_dlr_tracker();
    test_sandbox_options_reject_bad_input();
    test_sandbox_start_with_defaults();

    if (!start_sandbox_and_client(0, &sandbox, &client)) return 1;

    test_sms();
    test_http_errors_are_responses();
    test_bulk();
    test_lookup_account_prices();
    test_verify();
    test_bad_inputs();
    test_a_sandbox_freed_in_a_forked_child_is_quiet();

    char *ledger = NULL;
    CHECK(instasent_sandbox_messages_json(sandbox, &ledger, NULL) == INSTASENT_OK && ledger && ledger[0] == '[', "-");
    instasent_string_free(ledger);
    instasent_client_free(client);
    instasent_sandbox_free(sandbox);
    return check_summary("test_api");
}
