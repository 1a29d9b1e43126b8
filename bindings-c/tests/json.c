#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *s;
    size_t len, pos;
    int failed;
} reader;

static json_node *parse_value(reader *r, int depth);

static void skip_ws(reader *r) {
    while (r->pos < r->len && strchr(" \t\r\n", r->s[r->pos]) && r->s[r->pos]) r->pos++;
}

static json_node *new_node(json_type type, const char *start) {
    json_node *n = calloc(1, sizeof *n);
    if (!n) abort();
    n->type = type;
    n->start = start;
    return n;
}

static int hex4(reader *r, unsigned *out) {
    if (r->pos + 4 > r->len) return 0;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = r->s[r->pos++];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return 0;
    }
    *out = v;
    return 1;
}

static void put_utf8(char *buf, size_t *n, unsigned cp) {
    if (cp < 0x80) buf[(*n)++] = (char)cp;
    else if (cp < 0x800) {
        buf[(*n)++] = (char)(0xC0 | (cp >> 6));
        buf[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        buf[(*n)++] = (char)(0xE0 | (cp >> 12));
        buf[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        buf[(*n)++] = (char)(0xF0 | (cp >> 18));
        buf[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        buf[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[(*n)++] = (char)(0x80 | (cp & 0x3F));
    }
}

/* Reads a string starting at the opening quote; the result is malloc'ed. */
static char *parse_string(reader *r, size_t *out_len) {
    r->pos++; /* opening quote */
    /* Decoded text is never longer than its escaped form. */
    size_t cap = 1, scan = r->pos;
    while (scan < r->len && r->s[scan] != '"') {
        if (r->s[scan] == '\\') scan++;
        scan++;
    }
    cap += scan - r->pos;
    char *buf = malloc(cap + 4);
    if (!buf) abort();
    size_t n = 0;
    while (r->pos < r->len) {
        unsigned char c = (unsigned char)r->s[r->pos++];
        if (c == '"') {
            buf[n] = '\0';
            *out_len = n;
            return buf;
        }
        if (c < 0x20) break;
        if (c != '\\') {
            buf[n++] = (char)c;
            continue;
        }
        if (r->pos >= r->len) break;
        char e = r->s[r->pos++];
        unsigned cp;
        switch (e) {
        case '"': buf[n++] = '"'; break;
        case '\\': buf[n++] = '\\'; break;
        case '/': buf[n++] = '/'; break;
        case 'b': buf[n++] = '\b'; break;
        case 'f': buf[n++] = '\f'; break;
        case 'n': buf[n++] = '\n'; break;
        case 'r': buf[n++] = '\r'; break;
        case 't': buf[n++] = '\t'; break;
        case 'u':
            if (!hex4(r, &cp)) goto fail;
            if (cp >= 0xD800 && cp < 0xDC00 && r->pos + 6 <= r->len && r->s[r->pos] == '\\' &&
                r->s[r->pos + 1] == 'u') {
                unsigned lo;
                r->pos += 2;
                if (!hex4(r, &lo) || lo < 0xDC00 || lo > 0xDFFF) goto fail;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            put_utf8(buf, &n, cp);
            break;
        default: goto fail;
        }
    }
fail:
    free(buf);
    r->failed = 1;
    return NULL;
}

static int append(json_node *parent, json_node *child, char *key) {
    json_node **items = realloc(parent->items, (parent->count + 1) * sizeof *items);
    if (!items) abort();
    parent->items = items;
    if (parent->type == JSON_OBJECT) {
        char **keys = realloc(parent->keys, (parent->count + 1) * sizeof *keys);
        if (!keys) abort();
        parent->keys = keys;
        keys[parent->count] = key;
    }
    items[parent->count++] = child;
    return 1;
}

static json_node *parse_container(reader *r, int depth, int object) {
    json_node *n = new_node(object ? JSON_OBJECT : JSON_ARRAY, r->s + r->pos);
    char close = object ? '}' : ']';
    r->pos++;
    skip_ws(r);
    if (r->pos < r->len && r->s[r->pos] == close) {
        r->pos++;
        return n;
    }
    for (;;) {
        char *key = NULL;
        skip_ws(r);
        if (object) {
            size_t klen;
            if (r->pos >= r->len || r->s[r->pos] != '"' || !(key = parse_string(r, &klen))) break;
            skip_ws(r);
            if (r->pos >= r->len || r->s[r->pos++] != ':') {
                free(key);
                break;
            }
        }
        json_node *v = parse_value(r, depth + 1);
        if (!v) {
            free(key);
            break;
        }
        append(n, v, key);
        skip_ws(r);
        if (r->pos < r->len && r->s[r->pos] == ',') {
            r->pos++;
            continue;
        }
        if (r->pos < r->len && r->s[r->pos] == close) {
            r->pos++;
            return n;
        }
        break;
    }
    r->failed = 1;
    json_free(n);
    return NULL;
}

static json_node *parse_value(reader *r, int depth) {
    skip_ws(r);
    if (r->pos >= r->len || depth > 64) {
        r->failed = 1;
        return NULL;
    }
    const char *start = r->s + r->pos;
    json_node *n = NULL;
    char c = r->s[r->pos];
    if (c == '{' || c == '[') {
        n = parse_container(r, depth, c == '{');
    } else if (c == '"') {
        size_t len;
        char *s = parse_string(r, &len);
        if (s) {
            n = new_node(JSON_STRING, start);
            n->string = s;
            n->string_len = len;
        }
    } else if (!strncmp(start, "true", 4) || !strncmp(start, "false", 5)) {
        n = new_node(JSON_BOOL, start);
        n->boolean = c == 't';
        r->pos += n->boolean ? 4 : 5;
    } else if (!strncmp(start, "null", 4)) {
        n = new_node(JSON_NULL, start);
        r->pos += 4;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        char *end;
        n = new_node(JSON_NUMBER, start);
        n->number = strtod(start, &end);
        r->pos += (size_t)(end - start);
    } else {
        r->failed = 1;
    }
    if (n) n->span = (size_t)(r->s + r->pos - start);
    return n;
}

json_node *json_parse(const char *text, size_t len, size_t *error_at) {
    reader r = {text, len, 0, 0};
    json_node *n = parse_value(&r, 0);
    skip_ws(&r);
    if (!n || r.failed || r.pos != len) {
        if (error_at) *error_at = r.pos;
        json_free(n);
        return NULL;
    }
    return n;
}

void json_free(json_node *node) {
    if (!node) return;
    for (size_t i = 0; i < node->count; i++) {
        json_free(node->items[i]);
        if (node->keys) free(node->keys[i]);
    }
    free(node->items);
    free(node->keys);
    free(node->string);
    free(node);
}

const json_node *json_get(const json_node *object, const char *key) {
    if (!object || object->type != JSON_OBJECT) return NULL;
    for (size_t i = 0; i < object->count; i++)
        if (!strcmp(object->keys[i], key)) return object->items[i];
    return NULL;
}

char *json_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    if (!buf) abort();
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            cap *= 2;
            buf = realloc(buf, cap);
            if (!buf) abort();
        }
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}
