#include "cs-error.h"
#include "util/internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *cs_strerror(int code)
{
    switch (code) {
    case CS_OK: return "success";
    case CS_ENOMEM: return "out of memory";
    case CS_EIO: return "input/output error";
    case CS_EFORMAT: return "malformed record";
    case CS_EDATE: return "bad date";
    case CS_EAMOUNT: return "bad amount";
    case CS_EID: return "bad customer id";
    case CS_ECOLUMN: return "bad column";
    case CS_EEMPTY: return "no data";
    case CS_EINVAL: return "invalid argument";
    case CS_EGZIP: return "corrupt gzip data";
    case CS_EORDER: return "records out of order";
    case CS_EPARTIAL: return "bad partial summary";
    case CS_ENOCONV: return "fit did not converge";
    default: return "unknown error";
    }
}

void cs_error_clear(cs_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

int csi_fail(cs_error *err, int code, const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    err->hint = CS_HINT_NONE;
    err->setting[0] = err->value[0] = '\0';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

void csi_error_where(cs_error *err, const char *file, long line, int column,
                    const char *field, size_t field_len)
{
    if (!err)
        return;
    if (file)
        snprintf(err->file, sizeof err->file, "%s", file);
    err->line = line;
    err->column = column;
    if (field) {
        if (field_len >= sizeof err->field)
            field_len = sizeof err->field - 1;
        memcpy(err->field, field, field_len);
        err->field[field_len] = '\0';
    }
}

size_t csi_excerpt(char *dst, size_t cap, const char *s, size_t len)
{
    /* Shows the offending text safely: control bytes and invalid bytes as
     * \xNN, long values cut with "...", so a message is one readable line. */
    size_t o = 0;
    size_t limit = 60;
    int bad_utf8 = !csi_utf8_valid(s, len);
    for (size_t i = 0; i < len && o + 8 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (i == limit) {
            o += (size_t)snprintf(dst + o, cap - o, "...");
            break;
        }
        if (c < 0x20 || c == 0x7f || c == '\\' || (bad_utf8 && c >= 0x80))
            o += (size_t)snprintf(dst + o, cap - o, "\\x%02x", c);
        else
            dst[o++] = (char)c;
    }
    if (o < cap)
        dst[o] = '\0';
    else if (cap)
        dst[cap - 1] = '\0';
    return o;
}

void csi_error_setting(cs_error *err, const char *setting, const char *value)
{
    if (!err)
        return;
    snprintf(err->setting, sizeof err->setting, "%s", setting);
    snprintf(err->value, sizeof err->value, "%s", value ? value : "");
}

int csi_hint(cs_error *err, int hint)
{
    if (err)
        err->hint = hint;
    return err ? err->code : CS_OK;
}
