#ifndef KHSM_CSQLITE_SHIM_H
#define KHSM_CSQLITE_SHIM_H

#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro that casts -1 to a function pointer, which
// Swift cannot import; this constant gives Swift the same value.
static const sqlite3_destructor_type khsm_sqlite_transient = SQLITE_TRANSIENT;

// sqlite3_config is variadic, which Swift cannot call. This sets the size up to which a
// statement journal stays in memory before SQLite moves it to a temporary file. It only has
// an effect before SQLite is initialized.
static inline int khsm_sqlite_config_statement_journal_spill(int bytes) {
    return sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, bytes);
}

#endif
