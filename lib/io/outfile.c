/* Output files that appear whole or not at all. */
#include "cs-io.h"
#include "util/internal.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct cs_outfile {
    FILE *fp;
    char *path;   /* the file that is replaced: a symbolic link's target */
    char *tmp;    /* NULL when writing straight to a device or a pipe */
    int direct;
    int have_old; /* path existed: keep its mode and group */
    mode_t mode;  /* permissions given to the file when it is renamed */
    gid_t gid;
};

/* Follows symbolic links from path to the file they name (which need not
 * exist yet: `ln -s new.csv out.csv; -o out.csv` creates new.csv), so that
 * writing through a link replaces its target and keeps the link. Returns a
 * malloc'd path, or NULL with errno set (ELOOP after 40 links). */
static char *follow_links(const char *path)
{
    char *cur = strdup(path);
    for (int hops = 0; cur; hops++) {
        struct stat st;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
            return cur; /* a file, or nothing yet: this is the target */
        if (hops == 40) {
            free(cur);
            errno = ELOOP;
            return NULL;
        }
        char link[4096];
        ssize_t n = readlink(cur, link, sizeof link - 1);
        if (n < 0 || (size_t)n >= sizeof link - 1) {
            int e = n < 0 ? errno : ENAMETOOLONG;
            free(cur);
            errno = e;
            return NULL;
        }
        link[n] = '\0';
        char *next;
        const char *slash = strrchr(cur, '/');
        if (link[0] == '/' || !slash) {
            next = strdup(link);
        } else { /* relative to the folder that holds the link */
            size_t d = (size_t)(slash - cur + 1);
            next = malloc(d + (size_t)n + 1);
            if (next) {
                memcpy(next, cur, d);
                memcpy(next + d, link, (size_t)n + 1);
            }
        }
        free(cur);
        cur = next;
    }
    errno = ENOMEM;
    return NULL;
}

/* Removes the temporaries that runs for the same target left when they were
 * killed (SIGKILL leaves them): NAME.custseg-tmp-PID-* of a process that is
 * gone. Best effort, silent. */
static void remove_stale(const char *path, size_t dir, size_t keep)
{
    char folder[4096], prefix[512];
    snprintf(folder, sizeof folder, "%.*s", dir ? (int)dir : 1, dir ? path : ".");
    int pn = snprintf(prefix, sizeof prefix, "%.*s.custseg-tmp-", (int)keep, path + dir);
    if (pn < 0 || (size_t)pn >= sizeof prefix)
        return;
    DIR *d = opendir(folder);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, (size_t)pn) != 0)
            continue;
        char *end;
        long pid = strtol(e->d_name + pn, &end, 10);
        if (pid <= 0 || *end != '-' || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue; /* not ours, or its writer is still running */
        char full[4608];
        snprintf(full, sizeof full, "%s%s%s", folder, folder[strlen(folder) - 1] == '/' ? "" : "/",
                 e->d_name);
        unlink(full);
    }
    closedir(d);
}

cs_outfile *cs_outfile_open(const char *path, cs_error *err)
{
    cs_outfile *f = calloc(1, sizeof *f);
    if (!f) {
        csi_fail(err, CS_ENOMEM, "out of memory");
        return NULL;
    }
    if (!(f->path = follow_links(path))) {
        int e = errno;
        if (e == ENOMEM)
            csi_fail(err, CS_ENOMEM, "out of memory");
        else
            csi_fail(err, CS_EIO, "cannot write '%s': %s", path,
                     e == ELOOP ? "too many levels of symbolic links" : strerror(e));
        if (err)
            err->sys_errno = e;
        cs_outfile_abort(f);
        return NULL;
    }
    path = f->path;
    size_t n = strlen(path);
    if (!(f->tmp = malloc(n + 64))) {
        cs_outfile_abort(f);
        csi_fail(err, CS_ENOMEM, "out of memory");
        return NULL;
    }
    /* A device, a FIFO or a terminal (-o /dev/null, -o /dev/stdout) is
     * written as it is: renaming a file over it would replace the device. */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode)) {
            csi_fail(err, CS_EIO, "cannot write '%s': it is a directory", path);
            if (err)
                err->sys_errno = EISDIR;
            free(f->tmp);
            f->tmp = NULL;
            cs_outfile_abort(f);
            return NULL;
        }
        free(f->tmp);
        f->tmp = NULL;
        f->direct = 1;
        f->fp = fopen(path, "w");
        if (!f->fp) {
            int e = errno;
            csi_fail(err, CS_EIO, "cannot open '%s': %s", path, strerror(e));
            if (err)
                err->sys_errno = e;
            cs_outfile_abort(f);
            return NULL;
        }
        return f;
    }
    /* same folder as the target, so that rename(2) is atomic */
    const char *slash = strrchr(path, '/');
    size_t dir = slash ? (size_t)(slash - path + 1) : 0;
    /* "NAME.custseg-tmp-PID-XXXXXX" beside NAME: visible to ls, not matched
     * by NAME's own pattern (*.csv), and with the writer's process id so
     * that the next run for NAME can remove what a killed run left. A file
     * name may be 255 bytes, so a long NAME is cut (at a UTF-8 character). */
    size_t keep = strlen(path + dir);
    if (keep > 200) {
        keep = 200;
        while (keep > 0 && ((unsigned char)path[dir + keep] & 0xC0) == 0x80)
            keep--;
    }
    remove_stale(path, dir, keep);
    snprintf(f->tmp, n + 64, "%.*s%.*s.custseg-tmp-%ld-XXXXXX", (int)dir, path, (int)keep,
             path + dir, (long)getpid());
    int fd = mkstemp(f->tmp);
    if (fd < 0) {
        int e = errno;
        csi_fail(err, CS_EIO, "cannot create a temporary file beside '%s': %s", path, strerror(e));
        if (err)
            err->sys_errno = e;
        free(f->tmp);
        f->tmp = NULL;
        cs_outfile_abort(f);
        return NULL;
    }
    /* mkstemp makes the file 0600 (and O_EXCL); it stays so while it is
     * written, and gets its final mode just before the rename: an existing
     * file's mode and group, or what a plain create would give (0666 less
     * the umask). */
    if (stat(path, &st) == 0) {
        f->have_old = 1;
        f->mode = st.st_mode & 07777;
        f->gid = st.st_gid;
    } else {
        mode_t um = umask(0);
        umask(um);
        f->mode = 0666 & ~um;
    }
    f->fp = fdopen(fd, "w");
    if (!f->fp) {
        int e = errno;
        close(fd);
        csi_fail(err, CS_EIO, "cannot open '%s': %s", f->tmp, strerror(e));
        cs_outfile_abort(f);
        return NULL;
    }
    return f;
}

FILE *cs_outfile_fp(cs_outfile *f)
{
    return f->fp;
}

const char *cs_outfile_temp_path(const cs_outfile *f)
{
    return f->tmp ? f->tmp : "";
}

int cs_outfile_commit(cs_outfile *f, cs_error *err)
{
    int e = 0;
    if (fflush(f->fp) != 0 || ferror(f->fp))
        e = errno ? errno : EIO;
    if (f->direct) {
        if (fclose(f->fp) != 0 && !e)
            e = errno;
        f->fp = NULL;
        if (e) {
            csi_fail(err, CS_EIO, "cannot write '%s': %s", f->path, strerror(e));
            if (err)
                err->sys_errno = e;
        }
        cs_outfile_abort(f);
        return e ? CS_EIO : CS_OK;
    }
    if (!e && fsync(fileno(f->fp)) != 0 && errno != EINVAL)
        e = errno;
    if (!e) {
        mode_t mode = f->mode;
        /* the old file's group; when it cannot be kept (not a member), the
         * group loses its rights rather than a new group gaining them */
        if (f->have_old && fchown(fileno(f->fp), (uid_t)-1, f->gid) != 0)
            mode &= ~(mode_t)070;
        if (fchmod(fileno(f->fp), mode) != 0)
            e = errno;
    }
    if (fclose(f->fp) != 0 && !e)
        e = errno;
    f->fp = NULL;
    if (!e && rename(f->tmp, f->path) != 0)
        e = errno;
    if (e) {
        csi_fail(err, CS_EIO, "cannot write '%s': %s", f->path, strerror(e));
        if (err)
            err->sys_errno = e;
        cs_outfile_abort(f);
        return CS_EIO;
    }
    free(f->tmp);
    f->tmp = NULL;
    cs_outfile_abort(f);
    return CS_OK;
}

void cs_outfile_abort(cs_outfile *f)
{
    if (!f)
        return;
    if (f->fp)
        fclose(f->fp);
    if (f->tmp)
        unlink(f->tmp);
    free(f->tmp);
    free(f->path);
    free(f);
}
