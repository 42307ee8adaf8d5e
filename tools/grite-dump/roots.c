/*
 * roots.c - the roots of idl/grite.idl (its `root` declaration), with the
 * validators and printers gritec generated for them.
 */
#include "roots.h"

#include "grite.h"

#define ROOT(T)                                                        \
    static int T##_json(const void *buf, grite_json *out)              \
    {                                                                  \
        return grite_##T##_to_json(grite_##T##_root(buf), out);        \
    }
ROOT(IpcRequest)
ROOT(IpcReply)
ROOT(Notification)

const dump_root dump_roots[] = {
    { "IpcRequest", grite_IpcRequest_validate_depth, IpcRequest_json },
    { "IpcReply", grite_IpcReply_validate_depth, IpcReply_json },
    { "Notification", grite_Notification_validate_depth, Notification_json },
};
const size_t dump_n_roots = sizeof dump_roots / sizeof dump_roots[0];
_Static_assert(sizeof dump_roots / sizeof dump_roots[0] <= DUMP_MAX_ROOTS, "too many roots");
const char *const dump_root_names[] = { "IpcRequest", "IpcReply", "Notification" };

const uint64_t dump_schema_fingerprint = GRITE_SCHEMA_FINGERPRINT;
