/* The sandbox a C test runs against, and a client of it. */
#ifndef INSTASENT_TEST_FIXTURE_H
#define INSTASENT_TEST_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "check.h"
#include "instasent.h"

/* Starts a sandbox on a free loopback port and a client of it with the sandbox's token; retries
 * off when `no_retries` (the first fault is the answer). Returns 0, having said why, when either
 * could not be made. */
static int start_sandbox_and_client(int no_retries, instasent_sandbox **sandbox, instasent_client **client) {
    instasent_error *err = NULL;
    if (instasent_sandbox_start(NULL, sandbox, &err) != INSTASENT_OK) {
        fprintf(stderr, "sandbox: %s\n", err ? err->message : "?");
        instasent_error_free(err);
        return 0;
    }
    const char *url = NULL;
    CHECK(instasent_sandbox_base_url(*sandbox, &url) == INSTASENT_OK && url && !strncmp(url, "http://127.0.0.1:", 17),
          "%s", url ? url : "(null)");
    instasent_options *o = instasent_options_new();
    CHECK(instasent_options_set_base_url(o, url, NULL) == INSTASENT_OK, "-");
    if (no_retries) CHECK(instasent_options_set_max_retries(o, 0, NULL) == INSTASENT_OK, "-");
    instasent_code made = instasent_client_new("sandbox-token", o, client, &err);
    instasent_options_free(o);
    if (made != INSTASENT_OK) {
        fprintf(stderr, "client: %s\n", err ? err->message : "?");
        instasent_error_free(err);
        return 0;
    }
    return 1;
}

#endif
