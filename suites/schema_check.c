/* suites/schema_check.c: checks a JSON document (or each line of a JSON Lines file) against a
 * JSON Schema with the tests' validator (suites/json_schema.h), for the shell tests:
 *   schema_check SCHEMA FILE            the whole document against the schema
 *   schema_check SCHEMA FILE --lines    every line against the schema's $defs/log_line
 * Exit status 0 valid, 1 invalid (the first problem on stderr), 2 unreadable input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_schema.h"

int main(int argc, char **argv)
{
    bv_json *schema = NULL, *doc = NULL;
    bv_error err;
    char why[1024];
    int rc = 0;
    bool lines = argc == 4 && strcmp(argv[3], "--lines") == 0;
    if (argc != 3 && !lines) {
        fprintf(stderr, "usage: schema_check SCHEMA FILE [--lines]\n");
        return 2;
    }
    if (bv_json_parse_file(argv[1], &schema, &err)) {
        fprintf(stderr, "schema_check: %s\n", err.msg);
        return 2;
    }
    if (!lines) {
        if (bv_json_parse_file(argv[2], &doc, &err)) {
            fprintf(stderr, "schema_check: %s\n", err.msg);
            rc = 2;
        } else if (!js_validate(schema, NULL, doc, why, sizeof why)) {
            fprintf(stderr, "schema_check: %s: %s\n", argv[2], why);
            rc = 1;
        }
        bv_json_free(doc);
        bv_json_free(schema);
        return rc;
    }
    char *text = NULL;
    size_t len = 0;
    if (bv_file_read_all(argv[2], &text, &len, &err)) {
        fprintf(stderr, "schema_check: %s\n", err.msg);
        bv_json_free(schema);
        return 2;
    }
    unsigned lineno = 0;
    for (char *p = text; p < text + len && rc == 0;) {
        char *nl = memchr(p, '\n', (size_t)(text + len - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(text + len - p);
        lineno++;
        if (!nl) {
            fprintf(stderr, "schema_check: %s: line %u has no newline (a cut line)\n", argv[2], lineno);
            rc = 1;
        } else if (bv_json_parse(p, n, &doc, &err)) {
            fprintf(stderr, "schema_check: %s: line %u: %s\n", argv[2], lineno, err.msg);
            rc = 1;
        } else if (!js_validate(schema, "#/$defs/log_line", doc, why, sizeof why)) {
            fprintf(stderr, "schema_check: %s: line %u: %s\n", argv[2], lineno, why);
            rc = 1;
        }
        bv_json_free(doc);
        doc = NULL;
        p = nl ? nl + 1 : text + len;
    }
    free(text);
    bv_json_free(schema);
    return rc;
}
