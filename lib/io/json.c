/* custseg: small JSON files (model, breaks and sBG files) read whole and
 * parsed in the C numeric locale, and JSON printed for the writers. */
#include "cs-io.h"
#include "util/internal.h"

#include <cJSON.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

cJSON *csi_json_read(cs_input *in, size_t max_bytes, char **text, cs_error *err)
{
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    if (!buf) {
        csi_fail(err, CS_ENOMEM, "out of memory");
        return NULL;
    }
    ssize_t n;
    while ((n = cs_input_read(in, buf + len, cap - len - 1, err)) > 0) {
        len += (size_t)n;
        if (len + 1 == cap) {
            if (cap >= max_bytes) {
                free(buf);
                csi_fail(err, CS_EFORMAT, "the file is larger than %zu MiB", max_bytes >> 20);
                csi_error_where(err, cs_input_name(in), 0, 0, NULL, 0);
                return NULL;
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                csi_fail(err, CS_ENOMEM, "out of memory");
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
    }
    if (n < 0) {
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0), old = (locale_t)0;
    if (c != (locale_t)0)
        old = uselocale(c);
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(buf, &end, 1);
    if (c != (locale_t)0) {
        uselocale(old);
        freelocale(c);
    }
    if (!root) {
        long line = 1;
        for (const char *p = buf; end && p < end && p < buf + len; p++)
            line += *p == '\n';
        if (len == 0) {
            csi_fail(err, CS_EFORMAT, "the file is empty");
            line = 0;
        } else
            csi_fail(err, CS_EFORMAT, "invalid or truncated JSON");
        csi_error_where(err, cs_input_name(in), line, 0, NULL, 0);
    }
    if (root && text)
        *text = buf;
    else
        free(buf);
    return root;
}

char *csi_json_string(cJSON *root)
{
    /* cJSON_Print allocates with cJSON's hooks: the caller gets malloc's */
    char *t = root ? cJSON_Print(root) : NULL, *out = NULL;
    if (t) {
        size_t n = strlen(t);
        if ((out = malloc(n + 1)))
            memcpy(out, t, n + 1);
        cJSON_free(t);
    }
    cJSON_Delete(root);
    return out;
}
