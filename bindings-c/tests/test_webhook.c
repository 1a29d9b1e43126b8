/* instasent_sandbox_start_with: the sandbox POSTs its delivery reports to options.webhook_url,
 * spaced by options.dlr_delay_ms, and retries a non-2xx answer; the reports parse and track.
 * The receiver is a plain loopback socket served on this thread. */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "instasent.h"
#include "json.h"

enum { DELAY_MS = 300, MAX_REQUEST = 16 * 1024 };

static long long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

typedef struct {
    char line[128]; /* "POST /path HTTP/1.1" */
    int json_content_type;
    char body[MAX_REQUEST];
    size_t len;
} request;

/* Accepts one connection within `wait_ms`, reads one request with a Content-Length, answers
 * `status` and closes. Returns 1 when a request was read. */
static int serve_one(int listener, int wait_ms, int status, request *req) {
    struct pollfd p = {.fd = listener, .events = POLLIN};
    if (poll(&p, 1, wait_ms) != 1) return 0;
    int fd = accept(listener, NULL, NULL);
    if (fd < 0) return 0;
    struct timeval quiet = {.tv_sec = 2};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &quiet, sizeof quiet);
    static char buf[MAX_REQUEST];
    size_t have = 0, header_len = 0, content_length = 0;
    int ok = 0;
    while (have + 1 < sizeof buf) {
        ssize_t n = recv(fd, buf + have, sizeof buf - 1 - have, 0);
        if (n <= 0) break;
        have += (size_t)n;
        buf[have] = '\0';
        char *end = strstr(buf, "\r\n\r\n");
        if (!end) continue;
        header_len = (size_t)(end - buf) + 4;
        req->json_content_type = 0;
        for (char *h = strstr(buf, "\r\n"); h && h < end; h = strstr(h + 2, "\r\n")) {
            if (!strncasecmp(h + 2, "Content-Length:", 15)) content_length = strtoul(h + 17, NULL, 10);
            if (!strncasecmp(h + 2, "Content-Type: application/json", 30)) req->json_content_type = 1;
        }
        if (have >= header_len + content_length && content_length < sizeof req->body) {
            size_t line_len = strcspn(buf, "\r");
            if (line_len >= sizeof req->line) line_len = sizeof req->line - 1;
            memcpy(req->line, buf, line_len);
            req->line[line_len] = '\0';
            memcpy(req->body, buf + header_len, content_length);
            req->body[content_length] = '\0';
            req->len = content_length;
            ok = 1;
            break;
        }
    }
    char answer[96];
    int n = snprintf(answer, sizeof answer, "HTTP/1.1 %d X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", status);
    send(fd, answer, (size_t)n, MSG_NOSIGNAL);
    close(fd);
    return ok;
}

static char *entity_id(const instasent_response *r) {
    json_node *root = json_parse(r->body, strlen(r->body), NULL);
    const json_node *v = json_get(json_get(root, "entity"), "id");
    char *out = v && v->type == JSON_STRING ? strdup(v->string) : NULL;
    json_free(root);
    return out;
}

int main(void) {
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t sa_len = sizeof sa;
    if (listener < 0 || bind(listener, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(listener, 64) != 0 ||
        getsockname(listener, (struct sockaddr *)&sa, &sa_len) != 0) {
        perror("listen");
        return 1;
    }
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/hooks/dlr", (unsigned)ntohs(sa.sin_port));

    instasent_sandbox_options *o = instasent_sandbox_options_new();
    CHECK(instasent_sandbox_options_set_token(o, "webhook-token", NULL) == INSTASENT_OK, "-");
    CHECK(instasent_sandbox_options_set_webhook_url(o, url, NULL) == INSTASENT_OK, "-");
    CHECK(instasent_sandbox_options_set_dlr_delay_ms(o, DELAY_MS, NULL) == INSTASENT_OK, "-");
    instasent_sandbox *sandbox = NULL;
    instasent_error *err = NULL;
    instasent_code started = instasent_sandbox_start_with(o, &sandbox, &err);
    instasent_sandbox_options_free(o);
    if (started != INSTASENT_OK) {
        fprintf(stderr, "sandbox: %s\n", err ? err->message : "?");
        instasent_error_free(err);
        return 1;
    }
    const char *base_url = NULL;
    instasent_sandbox_base_url(sandbox, &base_url);
    instasent_options *co = instasent_options_new();
    CHECK(instasent_options_set_base_url(co, base_url, NULL) == INSTASENT_OK, "-");
    instasent_client *client = NULL;
    instasent_response *resp = NULL;
    CHECK(instasent_client_new("sandbox-token", co, &client, NULL) == INSTASENT_OK, "-");
    CHECK(instasent_get_account_balance(client, &resp, NULL) == INSTASENT_OK && resp->status == 401,
          "options.token replaces the default token");
    instasent_response_free(resp);
    instasent_client_free(client);
    CHECK(instasent_client_new("webhook-token", co, &client, NULL) == INSTASENT_OK, "-");
    instasent_options_free(co);
    /* The sandbox schedules the final report dlr_delay_ms after the commit, which happens
     * during this call: no final report can arrive before sent_before + DELAY_MS. */
    long long sent_before = now_ms();
    CHECK(instasent_send_sms(client, "Acme", "+34600000001", "fails with code 3", NULL, &resp, &err) == INSTASENT_OK &&
              resp->status == 201, "send: %s", err ? err->message : resp ? resp->body : "");
    char *id = resp ? entity_id(resp) : NULL;
    instasent_response_free(resp);

    instasent_dlr_tracker *tracker = NULL;
    CHECK(instasent_dlr_tracker_new(&tracker, NULL) == INSTASENT_OK, "-");
    static request req, refused;
    long long deadline = now_ms() + 10000, final_at = 0;
    int requests = 0, retried = 0, final = 0;
    while (!final && now_ms() < deadline) {
        /* The first POST is answered 500: the sandbox must deliver the same body again. */
        int status = requests == 0 ? 500 : 200;
        if (!serve_one(listener, 500, status, &req)) continue;
        requests++;
        CHECK(!strcmp(req.line, "POST /hooks/dlr HTTP/1.1"), "request line: %s", req.line);
        CHECK(req.json_content_type, "Content-Type: application/json");
        if (status != 200) {
            refused = req;
            continue;
        }
        if (req.len == refused.len && !memcmp(req.body, refused.body, req.len)) retried = 1;
        instasent_delivery_report *r = NULL;
        CHECK(instasent_parse_dlr(req.body, req.len, &r, &err) == INSTASENT_OK, "%s: %s", req.body,
              err ? err->message : "");
        if (!r) continue;
        CHECK_STR(r->id, id);
        CHECK(instasent_dlr_tracker_record(tracker, r, NULL, NULL) == INSTASENT_OK, "-");
        if (r->is_final) {
            final = 1;
            final_at = now_ms();
        }
        instasent_delivery_report_free(r);
    }
    CHECK(final, "a final report within 10 s (%d requests)", requests);
    CHECK(retried, "the refused delivery came again");
    /* Measured from before the send, not from the first delivery: that one can reach us late on a
     * loaded machine, which shortened the measured gap below any fixed tolerance. Without
     * dlr_delay_ms (default 50 ms) the final report comes right behind the 100 ms webhook retry. */
    CHECK(final_at - sent_before >= DELAY_MS, "dlr_delay_ms spaces the reports: final after %lld ms",
          final_at - sent_before);

    instasent_delivery_report *held = NULL;
    CHECK(instasent_dlr_tracker_get(tracker, id ? id : "-", &held, NULL) == INSTASENT_OK, "tracked");
    CHECK_STR(held ? held->status : NULL, "failed");
    CHECK(held && held->has_code && held->code == 3, "code 3");
    CHECK_STR(held ? held->code_meaning : NULL, "Absent permanently");
    instasent_delivery_report_free(held);
    char *counts = NULL;
    CHECK(instasent_dlr_tracker_counts_json(tracker, &counts, NULL) == INSTASENT_OK, "-");
    CHECK_STR(counts, "{\"failed\":1}");
    instasent_string_free(counts);

    free(id);
    instasent_dlr_tracker_free(tracker);
    instasent_client_free(client);
    instasent_sandbox_free(sandbox);
    close(listener);
    return check_summary("test_webhook");
}
