/* tests/vectors/dlr.json and encoding.json, every case, through the C API.
 * Usage: test_vectors <repo>/tests/vectors */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "instasent.h"
#include "json.h"

static const json_node *load(const char *dir, const char *name, char **text, json_node **root) {
    char path[4096];
    size_t len;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    *text = json_read_file(path, &len);
    CHECK(*text != NULL, "cannot read %s", path);
    if (!*text) return NULL;
    size_t at = 0;
    *root = json_parse(*text, len, &at);
    CHECK(*root && (*root)->type == JSON_ARRAY, "%s: not a JSON array (error at byte %zu)", path, at);
    return *root;
}

/* Compares one expected field with the report's typed field. */
static void expect_field(const char *name, const char *key, const json_node *want,
                         const instasent_delivery_report *r) {
    const char *str = NULL;
    int is_str = 1;
    if (!strcmp(key, "source")) str = r->source;
    else if (!strcmp(key, "id")) str = r->id;
    else if (!strcmp(key, "clientId")) str = r->client_id;
    else if (!strcmp(key, "status")) str = r->status;
    else if (!strcmp(key, "rawStatus")) str = r->raw_status;
    else if (!strcmp(key, "codeMeaning")) str = r->code_meaning;
    else if (!strcmp(key, "eventAt")) str = r->event_at;
    else if (!strcmp(key, "message")) str = r->message;
    else if (!strcmp(key, "to")) str = r->to;
    else is_str = 0;
    if (is_str) {
        const char *w = want->type == JSON_STRING ? want->string : NULL;
        CHECK((str == NULL && w == NULL) || (str && w && !strcmp(str, w)), "[%s] %s = %s, expected %s",
              name, key, str ? str : "null", w ? w : "null");
    } else if (!strcmp(key, "code")) {
        if (want->type == JSON_NULL) CHECK(!r->has_code, "[%s] code should be null", name);
        else CHECK(r->has_code && (double)r->code == want->number, "[%s] code %lld", name, (long long)r->code);
    } else if (!strcmp(key, "eventUnix")) {
        if (want->type == JSON_NULL) CHECK(!r->has_event_at, "[%s] eventUnix should be null", name);
        else CHECK(r->has_event_at && (double)r->event_unix == want->number, "[%s] eventUnix %lld", name,
                   (long long)r->event_unix);
    } else if (!strcmp(key, "isFinal")) {
        CHECK(r->is_final == (want->type == JSON_BOOL && want->boolean), "[%s] isFinal", name);
    } else if (!strcmp(key, "delivered")) {
        int w = want->type == JSON_NULL ? -1 : want->boolean;
        CHECK(r->delivered == w, "[%s] delivered %d, expected %d", name, r->delivered, w);
    } else {
        CHECK(0, "[%s] unknown expected field %s", name, key);
    }
}

static int json_equal(const json_node *a, const json_node *b);

typedef instasent_code (*bytes_parser)(const char *, size_t, instasent_delivery_report **, instasent_error **);

static instasent_code parse_smpp(const char *p, size_t len, instasent_delivery_report **out,
                                 instasent_error **err) {
    (void)len;
    return instasent_parse_smpp_receipt(p, out, err);
}

static void run_dlr_case(const json_node *c) {
    const char *name = json_get(c, "name")->string;
    const char *format = json_get(c, "format")->string;
    const json_node *input = json_get(c, "input");
    const json_node *expected = json_get(c, "expected");
    const json_node *expected_error = json_get(c, "expectedError");
    const json_node *contains = json_get(c, "errorContains");
    /* An object input is fed exactly as the file spells it; a string input is the payload. */
    const char *bytes = input->type == JSON_STRING ? input->string : input->start;
    size_t len = input->type == JSON_STRING ? input->string_len : input->span;
    char *owned = malloc(len + 1); /* a NUL-terminated copy for the text-only SMPP parser */
    memcpy(owned, bytes, len);
    owned[len] = '\0';

    bytes_parser specific = !strcmp(format, "webhook") ? instasent_parse_webhook
                            : !strcmp(format, "insider") ? instasent_parse_insider_event
                                                         : parse_smpp;
    bytes_parser parsers[2] = {specific, instasent_parse_dlr};
    for (int k = 0; k < 2; k++) {
        instasent_delivery_report *r = NULL;
        instasent_error *err = NULL;
        instasent_code code = parsers[k](owned, len, &r, &err);
        if (expected_error) {
            CHECK(code == INSTASENT_DECODE && r == NULL && err && err->code == INSTASENT_DECODE,
                  "[%s] expected DECODE, got %s", name, instasent_code_name(code));
            if (k == 0 && contains && err)
                CHECK(strstr(err->message, contains->string) != NULL, "[%s] message \"%s\" lacks \"%s\"", name,
                      err->message, contains->string);
        } else {
            CHECK(code == INSTASENT_OK && r && !err, "[%s] %s: %s", name, instasent_code_name(code),
                  err ? err->message : "");
            if (r) {
                for (size_t i = 0; i < expected->count; i++)
                    expect_field(name, expected->keys[i], expected->items[i], r);
                if (input->type == JSON_OBJECT) { /* `raw` must equal the input */
                    json_node *all = json_parse(r->json, strlen(r->json), NULL);
                    CHECK(json_equal(input, json_get(all, "raw")), "[%s] raw differs: %s", name, r->json);
                    json_free(all);
                }
            }
        }
        instasent_delivery_report_free(r);
        instasent_error_free(err);
    }
    free(owned);
}


/* Deep equality of two JSON values (numbers compared as doubles). */
static int json_equal(const json_node *a, const json_node *b) {
    if (!a || !b || a->type != b->type) return 0;
    switch (a->type) {
    case JSON_NULL: return 1;
    case JSON_BOOL: return a->boolean == b->boolean;
    case JSON_NUMBER: return a->number == b->number;
    case JSON_STRING: return a->string_len == b->string_len && !memcmp(a->string, b->string, a->string_len);
    case JSON_ARRAY:
        if (a->count != b->count) return 0;
        for (size_t i = 0; i < a->count; i++)
            if (!json_equal(a->items[i], b->items[i])) return 0;
        return 1;
    case JSON_OBJECT:
        if (a->count != b->count) return 0;
        for (size_t i = 0; i < a->count; i++)
            if (!json_equal(a->items[i], json_get(b, a->keys[i]))) return 0;
        return 1;
    }
    return 0;
}

static void run_encoding_case(const json_node *c) {
    const char *name = json_get(c, "name")->string;
    const json_node *text = json_get(c, "text");
    const json_node *options = json_get(c, "options");
    const json_node *smart = json_get(options, "smart");
    const json_node *shift = json_get(options, "shiftTable");
    const json_node *expected = json_get(c, "expected");
    instasent_segment_info *info = NULL;
    instasent_error *err = NULL;
    instasent_code code = instasent_segments_with_shift(
        text->string, smart && smart->boolean, shift && shift->type == JSON_STRING ? shift->string : NULL, &info,
        &err);
    CHECK(code == INSTASENT_OK && info, "[%s] %s: %s", name, instasent_code_name(code), err ? err->message : "");
    if (!info) {
        instasent_error_free(err);
        return;
    }
    size_t len = strlen(info->json), at = 0;
    json_node *analysis = json_parse(info->json, len, &at);
    CHECK(analysis != NULL, "[%s] analysis JSON does not parse at %zu", name, at);
    for (size_t i = 0; i < expected->count; i++) {
        const char *key = expected->keys[i];
        const json_node *want = expected->items[i];
        /* Typed fields are checked on the struct; the rest on the analysis JSON. */
        if (!strcmp(key, "encoding")) {
            CHECK_STR(info->encoding_name, want->string);
            CHECK(info->encoding == (!strcmp(want->string, "GSM-7") ? INSTASENT_ENCODING_GSM7 : INSTASENT_ENCODING_UCS2),
                  "[%s] encoding enum", name);
        } else if (!strcmp(key, "segments")) {
            CHECK((double)info->segments == want->number, "[%s] segments %zu, expected %g", name, info->segments,
                  want->number);
        } else if (!strcmp(key, "units")) {
            CHECK((double)info->units == want->number, "[%s] units %zu, expected %g", name, info->units, want->number);
        } else if (!strcmp(key, "parts")) {
            int same = info->parts_count == want->count;
            for (size_t k = 0; same && k < want->count; k++) same = !strcmp(info->parts[k], want->items[k]->string);
            CHECK(same, "[%s] parts differ (%zu vs %zu)", name, info->parts_count, want->count);
        } else if (!strcmp(key, "text")) {
            CHECK_STR(info->text, want->string);
        } else {
            CHECK(json_equal(want, json_get(analysis, key)), "[%s] %s differs: %s", name, key, info->json);
        }
    }
    json_free(analysis);
    instasent_segment_info_free(info);
    instasent_error_free(err);
}

static int run_encoding_vectors(const json_node *cases) {
    for (size_t i = 0; i < cases->count; i++) run_encoding_case(cases->items[i]);
    CHECK(cases->count >= 50, "encoding.json has only %zu cases", cases->count);
    return (int)cases->count;
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "tests/vectors";
    char *text;
    json_node *root = NULL;
    if (load(dir, "dlr.json", &text, &root)) {
        for (size_t i = 0; i < root->count; i++) run_dlr_case(root->items[i]);
        CHECK(root->count >= 50, "dlr.json has only %zu cases", root->count);
        printf("dlr.json: %zu cases\n", root->count);
    }
    json_free(root);
    free(text);

    root = NULL;
    if (load(dir, "encoding.json", &text, &root)) {
        int n = run_encoding_vectors(root);
        printf("encoding.json: %d cases\n", n);
    }
    json_free(root);
    free(text);
    return check_summary("test_vectors");
}
