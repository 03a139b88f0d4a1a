//! Demo data: the CSV files of `seed/` (embedded in the binary), loaded by `waypoint seed`
//! and by `serve --demo` into an empty database. Each file is one table, its header the
//! column names; `MANIFEST` gives the order (foreign keys first). Every row has a stable
//! id, and a row whose id is present already is left alone, so loading twice changes
//! nothing. The whole load is one transaction.
//!
//! Values are bound with the type the database itself declares for each column, so the
//! same files load into SQLite and PostgreSQL.

use std::collections::HashMap;
use std::fmt;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Date, Nullable, Text, Timestamp};
use rust_embed::RustEmbed;

use crate::db::schema::{employers, students, users};
use crate::db::{self, DbConnection, IsBusy, MultiBackend};

#[derive(RustEmbed)]
#[folder = "seed/"]
struct SeedFiles;

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("seed/{file}:{line}: {problem}")]
    Row { file: String, line: u64, problem: String },
    #[error("seed/{0}: missing from the binary")]
    Missing(String),
    #[error("database: {0}")]
    Database(#[from] diesel::result::Error),
}

impl IsBusy for SeedError {
    fn is_busy(&self) -> bool {
        matches!(self, SeedError::Database(e) if e.is_busy())
    }
}

/// Rows added and rows found present, per table, in load order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SeedReport {
    pub tables: Vec<(String, usize, usize)>,
}

impl SeedReport {
    pub fn inserted(&self) -> usize {
        self.tables.iter().map(|t| t.1).sum()
    }
    pub fn present(&self) -> usize {
        self.tables.iter().map(|t| t.2).sum()
    }
}

impl fmt::Display for SeedReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (table, inserted, present) in &self.tables {
            writeln!(f, "  {table:<26} {inserted:>6} added {present:>6} already present")?;
        }
        write!(f, "demo data: {} rows added, {} already present", self.inserted(), self.present())
    }
}

/// Whether the database holds no people and no employers (then `serve --demo` seeds it).
pub fn database_is_empty(conn: &mut DbConnection) -> QueryResult<bool> {
    let users: i64 = users::table.count().get_result(conn)?;
    let students: i64 = students::table.count().get_result(conn)?;
    let employers: i64 = employers::table.count().get_result(conn)?;
    Ok(users + students + employers == 0)
}

pub fn load_demo_data(conn: &mut DbConnection) -> Result<SeedReport, SeedError> {
    let manifest = SeedFiles::get("MANIFEST").ok_or_else(|| SeedError::Missing("MANIFEST".into()))?;
    let manifest = String::from_utf8_lossy(&manifest.data).into_owned();
    let files: Vec<&str> = manifest.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    db::transaction(conn, |conn| {
        let mut report = SeedReport::default();
        for file in &files {
            let (inserted, present) = load_file(conn, file)?;
            report.tables.push((file.trim_end_matches(".csv").to_owned(), inserted, present));
        }
        // The catalogue matches postings by their tags, which the store derives from a
        // posting's lists (one rule, src/opportunities/rules.rs): derive them for the
        // postings just loaded.
        crate::opportunities::model::write_missing_tags(conn)?;
        Ok(report)
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColumnType {
    Text,
    Integer,
    Boolean,
    Date,
    Timestamp,
}

impl ColumnType {
    fn of_declared(declared: &str) -> Self {
        let d = declared.to_ascii_lowercase();
        if d.starts_with("timestamp") {
            ColumnType::Timestamp
        } else if d == "date" {
            ColumnType::Date
        } else if d.starts_with("bool") {
            ColumnType::Boolean
        } else if d.contains("int") {
            ColumnType::Integer
        } else {
            ColumnType::Text
        }
    }
}

#[derive(QueryableByName)]
struct DeclaredColumn {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    declared: String,
}

fn column_types(conn: &mut DbConnection, table: &str) -> QueryResult<HashMap<String, ColumnType>> {
    let query = match conn.backend() {
        db::Backend::Sqlite => "SELECT name, type AS declared FROM pragma_table_info(?)",
        db::Backend::Postgres => {
            "SELECT column_name::text AS name, data_type::text AS declared FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1"
        }
    };
    let columns: Vec<DeclaredColumn> = diesel::sql_query(query).bind::<Text, _>(table).load(conn)?;
    Ok(columns.into_iter().map(|c| (c.name, ColumnType::of_declared(&c.declared))).collect())
}

fn load_file(conn: &mut DbConnection, file: &str) -> Result<(usize, usize), SeedError> {
    let table = file.trim_end_matches(".csv");
    let data = SeedFiles::get(file).ok_or_else(|| SeedError::Missing(file.to_owned()))?;
    let types = column_types(conn, table)?;
    let row_error = |line: u64, problem: String| SeedError::Row { file: file.to_owned(), line, problem };
    if types.is_empty() {
        return Err(row_error(1, format!("there is no table `{table}`")));
    }
    let mut reader = csv::Reader::from_reader(data.data.as_ref());
    let header: Vec<String> =
        reader.headers().map_err(|e| row_error(1, e.to_string()))?.iter().map(str::to_owned).collect();
    let mut column_of = Vec::with_capacity(header.len());
    for name in &header {
        let ty = types.get(name).ok_or_else(|| row_error(1, format!("table `{table}` has no column `{name}`")))?;
        column_of.push(*ty);
    }
    let id_index = header.iter().position(|h| h == "id").ok_or_else(|| row_error(1, "no `id` column".into()))?;
    let now = chrono::Utc::now().naive_utc();
    let (mut inserted, mut present) = (0, 0);
    for record in reader.records() {
        let record = record.map_err(|e| row_error(e.position().map_or(0, |p| p.line()), e.to_string()))?;
        let line = record.position().map_or(0, |p| p.line());
        if record.get(id_index).is_none_or(str::is_empty) {
            return Err(row_error(line, "empty id".into()));
        }
        // Empty cells are left out, so the column takes its default (or NULL).
        let mut columns: Vec<&str> = Vec::new();
        let mut values: Vec<(ColumnType, &str)> = Vec::new();
        for (i, value) in record.iter().enumerate() {
            if !value.is_empty() {
                columns.push(&header[i]);
                values.push((column_of[i], value));
            }
        }
        for stamp in ["created_at", "updated_at"] {
            if !columns.contains(&stamp) && types.contains_key(stamp) {
                columns.push(stamp);
            }
        }
        let placeholders: Vec<String> = (1..=columns.len()).map(|n| conn.placeholder(n)).collect();
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES ({}) ON CONFLICT (id) DO NOTHING",
            columns.join(", "),
            placeholders.join(", ")
        );
        let mut query = diesel::sql_query(sql).into_boxed::<MultiBackend>();
        for (ty, raw) in &values {
            query = bind(query, *ty, raw).map_err(|p| row_error(line, p))?;
        }
        for _ in values.len()..columns.len() {
            query = query.bind::<Timestamp, _>(now);
        }
        match query.execute(conn) {
            Ok(0) => present += 1,
            Ok(_) => inserted += 1,
            Err(e) if e.is_busy() => return Err(SeedError::Database(e)),
            Err(e) => return Err(row_error(line, e.to_string())),
        }
    }
    Ok((inserted, present))
}

type Query<'a> = diesel::query_builder::BoxedSqlQuery<'a, MultiBackend, diesel::query_builder::SqlQuery>;

fn bind<'a>(query: Query<'a>, ty: ColumnType, raw: &str) -> Result<Query<'a>, String> {
    Ok(match ty {
        ColumnType::Text => query.bind::<Nullable<Text>, _>(Some(raw.to_owned())),
        ColumnType::Integer => {
            let v: i64 = raw.parse().map_err(|_| format!("`{raw}` is not a whole number"))?;
            query.bind::<Nullable<BigInt>, _>(Some(v))
        }
        ColumnType::Boolean => {
            let v = match raw {
                "true" | "1" => true,
                "false" | "0" => false,
                _ => return Err(format!("`{raw}` is not true or false")),
            };
            query.bind::<Nullable<Bool>, _>(Some(v))
        }
        ColumnType::Date => {
            let v =
                NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| format!("`{raw}` is not a date YYYY-MM-DD"))?;
            query.bind::<Nullable<Date>, _>(Some(v))
        }
        ColumnType::Timestamp => {
            let v = NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M:%S")
                .map_err(|_| format!("`{raw}` is not a time YYYY-MM-DD HH:MM:SS"))?;
            query.bind::<Nullable<Timestamp>, _>(Some(v))
        }
    })
}
