//! The two migration sets stay in step, round-trip, and match `src/db/schema.rs`.

use std::collections::BTreeMap;

use diesel::RunQueryDsl;
use waypoint::db::{Backend as DbBackend, DbConnection};

use crate::helpers::{count, repo, TestDb};

fn migration_names(backend: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo().join("migrations").join(backend))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn both_backends_carry_the_same_migrations_each_with_up_and_down() {
    let sqlite = migration_names("sqlite");
    let postgres = migration_names("postgres");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres, "migrations/sqlite and migrations/postgres differ");
    for backend in ["sqlite", "postgres"] {
        for name in &sqlite {
            for file in ["up.sql", "down.sql"] {
                let path = repo().join("migrations").join(backend).join(name).join(file);
                assert!(path.is_file(), "{} is missing", path.display());
            }
        }
    }
}

#[derive(diesel::QueryableByName, Debug)]
struct Column {
    #[diesel(sql_type = diesel::sql_types::Text)]
    table_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    declared: String,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    nullable: bool,
}

/// Every user table's columns as (diesel type, nullable), read from the database itself.
/// The catalogue's search index (`opportunity_search*`) differs by design between the
/// backends (FTS5 and its shadow tables; tsvector) and is queried by raw SQL, so it is
/// not part of schema.rs; the catalogue tests check that it behaves the same.
fn columns(conn: &mut DbConnection) -> BTreeMap<String, BTreeMap<String, (String, bool)>> {
    let sql = match conn.backend() {
        DbBackend::Sqlite => {
            "SELECT m.name AS table_name, p.name AS name, p.type AS declared, \
             CASE WHEN p.\"notnull\" = 0 AND p.pk = 0 THEN 1 ELSE 0 END AS nullable \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '__diesel_schema_migrations' \
             AND m.name NOT LIKE 'opportunity_search%'"
        }
        DbBackend::Postgres => {
            "SELECT table_name::text AS table_name, column_name::text AS name, data_type::text AS declared, \
             (is_nullable = 'YES') AS nullable FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name <> '__diesel_schema_migrations' \
             AND table_name NOT LIKE 'opportunity_search%'"
        }
    };
    let rows: Vec<Column> = diesel::sql_query(sql).load(conn).unwrap();
    let mut out: BTreeMap<String, BTreeMap<String, (String, bool)>> = BTreeMap::new();
    for c in rows {
        let d = c.declared.to_ascii_lowercase();
        let ty = if d.starts_with("timestamp") {
            "Timestamp"
        } else if d == "date" {
            "Date"
        } else if d.starts_with("bool") {
            "Bool"
        } else if d == "bigint" {
            "BigInt"
        } else if d == "integer" {
            "Integer"
        } else if d == "text" {
            "Text"
        } else {
            panic!("{}.{} has type {d}, which schema.rs cannot map", c.table_name, c.name)
        };
        out.entry(c.table_name).or_default().insert(c.name, (ty.to_owned(), c.nullable));
    }
    out
}

/// The same map, read from `src/db/schema.rs`.
fn schema_rs() -> BTreeMap<String, BTreeMap<String, (String, bool)>> {
    let text = std::fs::read_to_string(repo().join("src/db/schema.rs")).unwrap();
    let mut out: BTreeMap<String, BTreeMap<String, (String, bool)>> = BTreeMap::new();
    let mut table: Option<String> = None;
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.strip_suffix(" (id) {") {
            table = Some(rest.to_owned());
        } else if line == "}" {
            table = None;
        } else if let (Some(t), Some((col, ty))) = (&table, line.trim_end_matches(',').split_once(" -> ")) {
            let (ty, nullable) = match ty.strip_prefix("Nullable<") {
                Some(inner) => (inner.trim_end_matches('>').to_owned(), true),
                None => (ty.to_owned(), false),
            };
            out.entry(t.clone()).or_default().insert(col.to_owned(), (ty, nullable));
        }
    }
    out
}

#[test]
fn the_database_matches_schema_rs_column_for_column() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let in_db = columns(&mut conn);
    let in_rs = schema_rs();
    assert_eq!(in_db.keys().collect::<Vec<_>>(), in_rs.keys().collect::<Vec<_>>(), "tables differ");
    for (table, cols) in &in_db {
        assert_eq!(cols, &in_rs[table], "columns of {table} differ between the database and schema.rs");
        assert!(
            cols.contains_key("id") && cols.contains_key("created_at") && cols.contains_key("updated_at"),
            "{table} lacks id/created_at/updated_at"
        );
    }
}

#[test]
fn migrations_go_up_down_and_up_again() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tables_sql = match conn.backend() {
        DbBackend::Sqlite => "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__diesel_schema_migrations'",
        DbBackend::Postgres => "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name <> '__diesel_schema_migrations'",
    };
    let up = count(&mut conn, tables_sql);
    assert!(up >= 29, "expected the whole schema, found {up} tables");
    let reverted = conn.revert_all().expect("down");
    assert!(reverted >= 1);
    assert_eq!(count(&mut conn, tables_sql), 0, "down leaves no table behind");
    let applied = conn.migrate().expect("up again");
    assert_eq!(applied.len(), reverted);
    assert_eq!(count(&mut conn, tables_sql), up);
}

#[test]
fn constraints_refuse_out_of_range_values() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let now = "'2026-11-22 10:00:00'";
    diesel::sql_query(format!(
        "INSERT INTO employers (id, name, industry, created_at, updated_at) VALUES ('e1', 'Acme Analytics', 'software', {now}, {now})"
    ))
    .execute(&mut conn)
    .unwrap();
    let posting = |hours: i32, fee: i64, apply: &str, due: &str| {
        format!(
            "INSERT INTO opportunities (id, employer_id, title, description, category, hours, fee_cents, apply_by, due_by, created_at, updated_at) \
             VALUES ('o-{hours}-{fee}-{apply}', 'e1', 'T', 'D', 'research', {hours}, {fee}, '{apply}', '{due}', {now}, {now})"
        )
    };
    assert!(diesel::sql_query(posting(10, 50000, "2027-01-01", "2027-02-01")).execute(&mut conn).is_ok());
    for (hours, fee, apply, due) in [
        (4, 50000, "2027-01-01", "2027-02-01"),
        (41, 50000, "2027-01-01", "2027-02-01"),
        (10, 0, "2027-01-01", "2027-02-01"),
        (10, 50000, "2027-03-01", "2027-02-01"),
    ] {
        assert!(
            diesel::sql_query(posting(hours, fee, apply, due)).execute(&mut conn).is_err(),
            "hours {hours}, fee {fee}, {apply}..{due} was accepted"
        );
    }
    // An unknown partnership tier, and a second current partnership for one employer.
    let partnership = |id: &str, tier: &str, status: &str| {
        format!("INSERT INTO partnerships (id, employer_id, tier, status, created_at, updated_at) VALUES ('{id}', 'e1', '{tier}', '{status}', {now}, {now})")
    };
    assert!(diesel::sql_query(partnership("p0", "platinum", "active")).execute(&mut conn).is_err());
    assert!(diesel::sql_query(partnership("p1", "gold", "active")).execute(&mut conn).is_ok());
    assert!(diesel::sql_query(partnership("p2", "gold", "prospect")).execute(&mut conn).is_err());
    assert!(diesel::sql_query(partnership("p3", "gold", "ended")).execute(&mut conn).is_ok());
    // Foreign keys are enforced (on SQLite too: PRAGMA foreign_keys).
    assert!(diesel::sql_query(format!(
        "INSERT INTO recruiters (id, user_id, employer_id, created_at, updated_at) VALUES ('r1', 'no-such-user', 'e1', {now}, {now})"
    ))
    .execute(&mut conn)
    .is_err());
}

/// The tag tables of the catalogue start filled: the migration splits the lists of the
/// postings already there and writes them in the rules' normal form (as the store would).
#[test]
fn the_tag_migration_fills_tags_from_the_postings_lists() {
    use diesel_migrations::MigrationHarness;
    use waypoint::db::{POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};
    let db = TestDb::new();
    let mut conn = db.connect();
    let has_tags = |conn: &mut DbConnection| {
        let sql = match conn.backend() {
            DbBackend::Sqlite => "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'opportunity_skills'",
            DbBackend::Postgres => "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'opportunity_skills'",
        };
        count(conn, sql) == 1
    };
    // Back to the schema before the tags (whatever came after them is reverted too).
    while has_tags(&mut conn) {
        match &mut conn {
            DbConnection::Sqlite(c) => c.revert_last_migration(SQLITE_MIGRATIONS).map(|_| ()),
            DbConnection::Postgresql(c) => c.revert_last_migration(POSTGRES_MIGRATIONS).map(|_| ()),
        }
        .expect("revert");
    }
    let now = "'2026-11-22 10:00:00'";
    for statement in [
        format!("INSERT INTO employers (id, name, industry, created_at, updated_at) VALUES ('e1', 'Acme Analytics', 'software', {now}, {now})"),
        format!(
            "INSERT INTO opportunities (id, employer_id, title, description, category, skills, hours, fee_cents, apply_by, due_by, \
             eligible_colleges, eligible_majors, eligible_class_years, created_at, updated_at) VALUES ('o1', 'e1', 'T', 'D', 'research', \
             'excel, market  research,Excel,,%', 10, 50000, '2027-01-01', '2027-02-01', 'School of  Business , College of Arts', \
             'Public Health', '2026, 2027,soon', {now}, {now})"
        ),
        format!(
            "INSERT INTO opportunities (id, employer_id, title, description, category, hours, fee_cents, apply_by, due_by, created_at, updated_at) \
             VALUES ('o2', 'e1', 'T', 'D', 'research', 10, 50000, '2027-01-01', '2027-02-01', {now}, {now})"
        ),
    ] {
        diesel::sql_query(statement).execute(&mut conn).unwrap();
    }
    conn.migrate().expect("up again");
    #[derive(diesel::QueryableByName, Debug)]
    struct Tag {
        #[diesel(sql_type = diesel::sql_types::Text)]
        opportunity_id: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        value: String,
    }
    let tags = |conn: &mut DbConnection, table: &str, column: &str| -> Vec<(String, String)> {
        let sql = format!(
            "SELECT opportunity_id, CAST({column} AS TEXT) AS value FROM {table} ORDER BY opportunity_id, {column}"
        );
        let rows: Vec<Tag> = diesel::sql_query(sql).load(conn).unwrap();
        rows.into_iter().map(|t| (t.opportunity_id, t.value)).collect()
    };
    let o1 = |v: &[&str]| v.iter().map(|v| ("o1".to_owned(), (*v).to_owned())).collect::<Vec<_>>();
    assert_eq!(tags(&mut conn, "opportunity_skills", "skill"), o1(&["%", "excel", "market-research"]));
    assert_eq!(tags(&mut conn, "opportunity_colleges", "college"), o1(&["college of arts", "school of business"]));
    assert_eq!(tags(&mut conn, "opportunity_majors", "major"), o1(&["public health"]));
    assert_eq!(tags(&mut conn, "opportunity_class_years", "class_year"), o1(&["2026", "2027"]));
    // The same as the store's one rule makes of those lists.
    let rule = waypoint::opportunities::rules::Eligibility::of_lists(
        "School of  Business , College of Arts",
        "Public Health",
        "2026, 2027,soon",
    );
    assert_eq!(rule.colleges, ["school of business", "college of arts"]);
    assert_eq!(
        waypoint::opportunities::rules::skill_tags("excel, market  research,Excel,,%"),
        ["excel", "market-research", "%"]
    );
}
