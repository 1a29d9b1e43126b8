/* A tiny JSON reader for the test suite: enough to walk the JSON files of tests/vectors (RFC 8259 values,
 * \u escapes with surrogate pairs). Every node keeps the byte span it was read from, so an
 * object input can be fed to a parser exactly as the vector file spells it. */
#ifndef INSTASENT_TEST_JSON_H
#define INSTASENT_TEST_JSON_H

#include <stddef.h>

typedef enum { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } json_type;

typedef struct json_node {
    json_type type;
    int boolean;
    double number;
    char *string;            /* JSON_STRING: decoded UTF-8, NUL-terminated */
    size_t string_len;       /* may contain NULs */
    struct json_node **items; /* JSON_ARRAY / JSON_OBJECT values */
    char **keys;             /* JSON_OBJECT keys */
    size_t count;
    const char *start;       /* span in the source text */
    size_t span;
} json_node;

/* Parses `text`; NULL on a syntax error (with the offset in *error_at). */
json_node *json_parse(const char *text, size_t len, size_t *error_at);
void json_free(json_node *node);
/* Member `key` of an object, or NULL. */
const json_node *json_get(const json_node *object, const char *key);
/* Reads a whole file (NUL-terminated); NULL on failure. */
char *json_read_file(const char *path, size_t *len);

#endif
