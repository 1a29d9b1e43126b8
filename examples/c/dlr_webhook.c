/* Receives delivery reports on a local webhook, parses them with instasent_parse_dlr and tracks
 * them with instasent_dlr_tracker. Run: examples/run-all.sh builds it; by hand see
 * examples/README.md (embedded sandbox; or set INSTASENT_BASE_URL/INSTASENT_TOKEN and DLR_ADDR). */
#define _POSIX_C_SOURCE 200809L /* sockets, poll, clock_gettime under -std=c11 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <instasent.h>

enum { MAX_REQUEST = 64 * 1024, WAIT_MS = 10000 };

static long long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* A listening socket on "HOST:PORT" (port 0: a free one); its webhook URL goes to url. */
static int listen_on(const char *addr, char *url, size_t url_size) {
    char host[64];
    const char *colon = strrchr(addr, ':');
    if (!colon || (size_t)(colon - addr) >= sizeof host) return -1;
    memcpy(host, addr, (size_t)(colon - addr));
    host[colon - addr] = '\0';
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(colon + 1))};
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) return -1;
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    socklen_t len = sizeof sa;
    if (fd < 0) return -1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 64) != 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
        close(fd);
        return -1;
    }
    snprintf(url, url_size, "http://%s:%u/dlr", host, (unsigned)ntohs(sa.sin_port));
    return fd;
}

/* Reads one HTTP/1.1 request into buf (cap bytes). Returns 0 with the body in *body / *len, an
 * HTTP status to answer with, or -1 when the connection broke or went quiet. */
static int read_request(int fd, char *buf, size_t cap, char **body, size_t *len) {
    size_t have = 0, header_len = 0, content_length = 0;
    for (;;) {
        if (have + 1 >= cap) return 413;
        ssize_t n = recv(fd, buf + have, cap - 1 - have, 0);
        if (n <= 0) return -1;
        have += (size_t)n;
        buf[have] = '\0'; /* for the header scan below; the body is passed with its length */
        if (!header_len) {
            char *end = NULL;
            for (size_t i = 3; i < have && !end; i++)
                if (!memcmp(buf + i - 3, "\r\n\r\n", 4)) end = buf + i + 1;
            if (!end) continue;
            header_len = (size_t)(end - buf);
            if (strncmp(buf, "POST ", 5) != 0) return 405;
            /* Header names are case-insensitive (RFC 9110 5.1). The sandbox and the API send a
             * Content-Length; a chunked body is refused rather than half-read. */
            int found = 0;
            for (char *line = strstr(buf, "\r\n"); line && line + 2 < end; line = strstr(line + 2, "\r\n")) {
                if (!strncasecmp(line + 2, "Content-Length:", 15)) {
                    content_length = strtoul(line + 17, NULL, 10);
                    found = 1;
                }
            }
            if (!found) return 411;
            if (content_length >= cap - header_len) return 413;
        }
        if (have >= header_len + content_length) {
            *body = buf + header_len;
            *len = content_length;
            return 0;
        }
    }
}

static void answer(int fd, int status) {
    char head[128];
    int n = snprintf(head, sizeof head, "HTTP/1.1 %d %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", status,
                     status == 200 ? "OK" : "Not accepted");
    send(fd, head, (size_t)n, MSG_NOSIGNAL);
}

/* One webhook POST: parse it, record it, answer 200; or 400 when it is not a delivery report
 * (any non-2xx is retried by Instasent, so answer 2xx only once the report is stored). */
static void serve(int client, instasent_dlr_tracker *tracker) {
    static char buf[MAX_REQUEST];
    char *body = NULL;
    size_t len = 0;
    struct timeval quiet = {.tv_sec = 2}; /* a stalled sender must not stall the receiver */
    setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &quiet, sizeof quiet);
    int status = read_request(client, buf, sizeof buf, &body, &len);
    if (status == 0) {
        instasent_delivery_report *r = NULL;
        instasent_error *err = NULL;
        if (instasent_parse_dlr(body, len, &r, &err) == INSTASENT_OK &&
            instasent_dlr_tracker_record(tracker, r, NULL, &err) == INSTASENT_OK) {
            printf("report: %s %s code %lld\n", r->id, r->status, r->has_code ? (long long)r->code : -1LL);
            status = 200;
        } else {
            fprintf(stderr, "refused a webhook: %s\n", err->message);
            status = 400;
        }
        instasent_delivery_report_free(r);
        instasent_error_free(err);
    }
    if (status > 0) answer(client, status);
    close(client);
}

/* Serves webhook POSTs one at a time until `until_ms` or until one was served. */
static void serve_next(int listener, instasent_dlr_tracker *tracker, long long until_ms) {
    struct pollfd p = {.fd = listener, .events = POLLIN};
    long long left = until_ms - now_ms();
    if (left > 0 && poll(&p, 1, (int)left) == 1) {
        int client = accept(listener, NULL, NULL);
        if (client >= 0) serve(client, tracker);
    }
}

static int all_final(const instasent_dlr_tracker *tracker, char *const ids[], size_t n) {
    for (size_t i = 0; i < n; i++) {
        instasent_delivery_report *r = NULL;
        int final = ids[i] && instasent_dlr_tracker_get(tracker, ids[i], &r, NULL) == INSTASENT_OK && r->is_final;
        instasent_delivery_report_free(r);
        if (!final) return 0;
    }
    return 1;
}

/* entity.id of a POST /sms response body (compact JSON: the library writes it). */
static char *entity_id(const char *body) {
    const char *entity = strstr(body, "\"entity\":"), *id = entity ? strstr(entity, "\"id\":\"") : NULL;
    if (!id) return NULL;
    id += 6;
    const char *end = strchr(id, '"');
    return end ? strndup(id, (size_t)(end - id)) : NULL;
}

int main(void) {
    const char *base_url = getenv("INSTASENT_BASE_URL");
    int external = base_url && *base_url;
    const char *addr = getenv("DLR_ADDR");
    if (!addr) addr = external ? "127.0.0.1:8089" : "127.0.0.1:0";
    char url[128];
    int listener = listen_on(addr, url, sizeof url);
    if (listener < 0) {
        fprintf(stderr, "cannot listen on %s (DLR_ADDR is IPv4 HOST:PORT)\n", addr);
        return 1;
    }
    printf("receiving delivery reports on %s\n", url);

    instasent_sandbox *sandbox = NULL;
    instasent_client *client = NULL;
    instasent_dlr_tracker *tracker = NULL;
    instasent_error *err = NULL;
    instasent_code code;
    if (external) { /* the sandbox (--webhook URL) or your account's webhook must point at `url` */
        const char *token = getenv("INSTASENT_TOKEN");
        code = instasent_client_new(token ? token : "", NULL, &client, &err);
    } else {
        instasent_sandbox_options *so = instasent_sandbox_options_new();
        code = instasent_sandbox_options_set_webhook_url(so, url, &err);
        if (code == INSTASENT_OK) code = instasent_sandbox_start_with(so, &sandbox, &err);
        instasent_sandbox_options_free(so);
        if (code == INSTASENT_OK) {
            const char *base_url = NULL;
            instasent_sandbox_base_url(sandbox, &base_url);
            instasent_options *o = instasent_options_new();
            code = instasent_options_set_base_url(o, base_url, &err);
            if (code == INSTASENT_OK) code = instasent_client_new("sandbox-token", o, &client, &err);
            instasent_options_free(o);
        }
    }
    if (code == INSTASENT_OK) code = instasent_dlr_tracker_new(&tracker, &err);

    /* Sandbox test numbers: ...0001 fails with code 3, ...0005 is buffered then delivered. */
    const char *to[] = {"+34600123456", "+34600000001", "+34600000005"};
    char *ids[3] = {NULL, NULL, NULL};
    for (size_t i = 0; i < 3 && code == INSTASENT_OK; i++) {
        instasent_response *resp = NULL;
        code = instasent_send_sms(client, "Acme", to[i], "Hello", NULL, &resp, &err);
        if (code == INSTASENT_OK && !(resp->status == 201 && (ids[i] = entity_id(resp->body))))
            fprintf(stderr, "send to %s: HTTP %d %s\n", to[i], resp->status, resp->body);
        instasent_response_free(resp);
    }
    if (code != INSTASENT_OK) fprintf(stderr, "%s\n", err->message);

    int done = 0;
    if (code == INSTASENT_OK) {
        long long deadline = now_ms() + WAIT_MS;
        while (!(done = all_final(tracker, ids, 3)) && now_ms() < deadline) serve_next(listener, tracker, deadline);
        for (size_t i = 0; i < 3; i++) {
            instasent_delivery_report *r = NULL;
            if (ids[i] && instasent_dlr_tracker_get(tracker, ids[i], &r, NULL) == INSTASENT_OK)
                printf("%s: %s code %lld (%s)\n", ids[i], r->status, r->has_code ? (long long)r->code : -1LL,
                       r->code_meaning ? r->code_meaning : "-");
            else
                printf("%s: no report yet\n", ids[i] ? ids[i] : to[i]);
            instasent_delivery_report_free(r);
        }
        char *counts = NULL;
        if (instasent_dlr_tracker_counts_json(tracker, &counts, NULL) == INSTASENT_OK)
            printf("final statuses: %s\n", counts);
        instasent_string_free(counts);
    }
    for (size_t i = 0; i < 3; i++) free(ids[i]);
    instasent_error_free(err);
    instasent_dlr_tracker_free(tracker);
    instasent_client_free(client);
    instasent_sandbox_free(sandbox); /* stops its webhook deliveries first */
    close(listener);
    return done ? 0 : 1;
}
