/*
 * envelope.c - resolving the request envelope (see envelope.h).
 */
#include "envelope.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "exit_codes.h"
#include "paths.h"

int cli_envelope_data_dir(cli_envelope *e, const char *explicit_dir,
                          char err[CLI_ENVELOPE_ERROR_MAX])
{
    if (e->have_data_dir)
        return 0;
    if (grite_paths_data_dir(explicit_dir, e->data_dir, sizeof e->data_dir, err,
                             CLI_ENVELOPE_ERROR_MAX) != 0)
        return CLI_EXIT_ENV;
    if (grite_paths_lock_file(e->data_dir, e->lock_path, sizeof e->lock_path) != 0) {
        snprintf(err, CLI_ENVELOPE_ERROR_MAX, "data dir path is too long: %.400s", e->data_dir);
        return CLI_EXIT_ENV;
    }
    e->have_data_dir = true;
    return 0;
}

bool cli_is_actor_id(const char *s)
{
    return grite_paths_is_actor_id(s, strlen(s));   /* the daemon's own rule */
}

static int resolve_actor(cli_envelope *e, const char *explicit_actor,
                         char err[CLI_ENVELOPE_ERROR_MAX])
{
    const char *source = "--actor";
    const char *actor = explicit_actor;
    if (actor == NULL) {
        actor = getenv("GRITE_ACTOR");
        source = "GRITE_ACTOR";
        if (actor != NULL && actor[0] == '\0')
            actor = NULL;
    }
    if (actor == NULL) {
        if (grite_paths_actor_id(e->data_dir, e->actor_id, err, CLI_ENVELOPE_ERROR_MAX) != 0)
            return CLI_EXIT_ENV;
        return 0;
    }
    if (!cli_is_actor_id(actor)) {
        snprintf(err, CLI_ENVELOPE_ERROR_MAX,
                 "%s: \"%.64s\" is not an actor id (32 lowercase hex digits)", source, actor);
        return CLI_EXIT_USAGE;
    }
    memcpy(e->actor_id, actor, CLI_ACTOR_ID_LEN + 1);
    return 0;
}

static int resolve_repo(cli_envelope *e, const char *explicit_repo,
                        char err[CLI_ENVELOPE_ERROR_MAX])
{
    char real[PATH_MAX];
    if (explicit_repo == NULL) {
        /* getcwd() already is a real path: the kernel resolves it, one syscall. */
        if (getcwd(real, sizeof real) == NULL) {
            snprintf(err, CLI_ENVELOPE_ERROR_MAX,
                     "cannot tell the current directory (pass --repo DIR): %s", strerror(errno));
            return CLI_EXIT_ENV;
        }
    } else if (realpath(explicit_repo, real) == NULL) {
        snprintf(err, CLI_ENVELOPE_ERROR_MAX, "--repo %.256s: %s", explicit_repo, strerror(errno));
        return CLI_EXIT_USAGE;
    }
    if (strlen(real) >= sizeof e->repo_root) {
        snprintf(err, CLI_ENVELOPE_ERROR_MAX, "repository path is too long");
        return CLI_EXIT_ENV;
    }
    strcpy(e->repo_root, real);
    return 0;
}

int cli_envelope_identity(cli_envelope *e, const char *explicit_actor,
                          const char *explicit_repo, char err[CLI_ENVELOPE_ERROR_MAX])
{
    if (e->have_identity)
        return 0;
    int rc = resolve_actor(e, explicit_actor, err);
    if (rc == 0)
        rc = resolve_repo(e, explicit_repo, err);
    if (rc == 0)
        e->have_identity = true;
    return rc;
}

void cli_format_uuid(const unsigned char bytes[16], char out[CLI_REQUEST_ID_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char b[16];
    memcpy(b, bytes, sizeof b);
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);   /* version 4: random */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);   /* RFC 4122 variant */
    char *p = out;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *p++ = '-';
        *p++ = hex[b[i] >> 4];
        *p++ = hex[b[i] & 15];
    }
    *p = '\0';
}

int cli_envelope_new_request_id(cli_envelope *e)
{
    unsigned char bytes[16];
    ssize_t got;
    do
        got = getrandom(bytes, sizeof bytes, 0);
    while (got < 0 && errno == EINTR);
    if (got != (ssize_t)sizeof bytes)
        return -1;
    cli_format_uuid(bytes, e->request_id);
    return 0;
}
