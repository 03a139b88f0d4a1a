//! Many rows per INSERT, for the writers that add rows in bulk (the synthetic data set)
//! and the one-row paths that share their code. Diesel's batch insert reaches each
//! backend through that backend's own connection type, not through the multi-backend
//! one, so [`insert_rows!`] matches on the backend; it cuts the rows into statements that
//! stay below the bind-parameter limits (SQLite 32,766, PostgreSQL 65,535).

/// Bind parameters per statement: inside both backends' limits.
pub const BINDS_PER_STATEMENT: usize = 30_000;

/// Rows per statement for a table of `columns` columns.
pub const fn rows_per_statement(columns: usize) -> usize {
    let rows = BINDS_PER_STATEMENT / columns;
    if rows == 0 {
        1
    } else {
        rows
    }
}

/// `insert_rows!(conn, table, rows, COLUMNS)`: inserts the `Insertable` rows (a slice of
/// structs that bind every column, `treat_none_as_default_value = false`, so that SQLite
/// takes them in one statement) and answers `QueryResult<usize>`, the rows written.
macro_rules! insert_rows {
    ($conn:expr, $table:expr, $rows:expr, $columns:expr) => {{
        let conn: &mut $crate::db::DbConnection = $conn;
        let mut written: usize = 0;
        let mut result: diesel::QueryResult<usize> = Ok(0);
        for chunk in $rows.chunks($crate::db::batch::rows_per_statement($columns)) {
            let done = match &mut *conn {
                $crate::db::DbConnection::Postgresql(c) => {
                    diesel::RunQueryDsl::execute(diesel::insert_into($table).values(chunk), c)
                }
                $crate::db::DbConnection::Sqlite(c) => {
                    diesel::RunQueryDsl::execute(diesel::insert_into($table).values(chunk), c)
                }
            };
            match done {
                Ok(n) => written += n,
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        result.map(|_| written)
    }};
}

pub(crate) use insert_rows;
