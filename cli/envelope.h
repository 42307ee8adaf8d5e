/*
 * envelope.h - the fields every IpcRequest carries besides its command:
 * the data dir, the actor, the repository and a fresh request id.
 *
 *   data_dir    --data-dir, $GRITE_DATA_DIR, $XDG_DATA_HOME/grite or
 *               ~/.local/share/grite, created if missing, as a real path
 *               (daemon/paths.h), so the daemon sees the same string
 *   actor_id    --actor, else $GRITE_ACTOR, else <data dir>/actor (made once)
 *   repo_root   the real path of --repo, else of the current directory
 *   request_id  a random UUID (version 4) from getrandom()
 */
#ifndef GRITE_CLI_ENVELOPE_H
#define GRITE_CLI_ENVELOPE_H

#include <stdbool.h>
#include <stddef.h>

#include "paths.h"

#define CLI_ACTOR_ID_LEN 32
#define CLI_REQUEST_ID_LEN 36

typedef struct cli_envelope {
    char data_dir[GRITE_PATH_MAX];
    char lock_path[GRITE_PATH_MAX];
    char actor_id[CLI_ACTOR_ID_LEN + 1];
    char repo_root[GRITE_PATH_MAX];
    char request_id[CLI_REQUEST_ID_LEN + 1];
    bool have_data_dir;
    bool have_identity;   /* actor_id and repo_root */
} cli_envelope;

#define CLI_ENVELOPE_ERROR_MAX 512

/* Resolve and create the data dir and the lock path (once; later calls
 * return 0 at once). Returns 0, or an exit status with a message in err. */
int cli_envelope_data_dir(cli_envelope *e, const char *explicit_dir,
                          char err[CLI_ENVELOPE_ERROR_MAX]);

/* Resolve the actor (explicit may be NULL) and the repository root
 * (explicit_repo may be NULL), after the data dir. Returns 0, or an exit
 * status (usage for a bad --actor or --repo, environment otherwise) with a
 * message in err. */
int cli_envelope_identity(cli_envelope *e, const char *explicit_actor,
                          const char *explicit_repo, char err[CLI_ENVELOPE_ERROR_MAX]);

/* A fresh request id into e->request_id. Returns 0, or -1 if getrandom failed. */
int cli_envelope_new_request_id(cli_envelope *e);

/* Whether s is an actor id: exactly 32 lowercase hex digits. */
bool cli_is_actor_id(const char *s);

/* Format 16 random bytes as a version-4 UUID ("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"). */
void cli_format_uuid(const unsigned char bytes[16], char out[CLI_REQUEST_ID_LEN + 1]);

#endif
