//! What every CSV import shares: reading rows with their line numbers, checking the
//! header, and reporting problems as `FILE:LINE: field: problem`. Imports are
//! all-or-nothing: they validate every row first and write nothing if any is bad. A
//! refused file is `core::Error::Invalid`, each problem's field naming `FILE:LINE: column`.

use std::fmt;
use std::io::Read;

use serde::de::DeserializeOwned;

use crate::core::{Error, FieldProblem, Problems};

/// One problem at one place of an imported file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    pub file: String,
    pub line: u64,
    pub field: String,
    pub problem: String,
}

impl fmt::Display for LineProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}: {}", self.file, self.line, self.field, self.problem)
    }
}

/// The problems of a refused import, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub Vec<LineProblem>);

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl From<LineProblem> for FieldProblem {
    /// The place (`FILE:LINE: column`) is the field: it prints as `FILE:LINE: column: problem`.
    fn from(p: LineProblem) -> Self {
        FieldProblem::new(format!("{}:{}: {}", p.file, p.line, p.field), p.problem)
    }
}

/// A refused file: every problem, in file order, as the domain's invalid input.
impl From<Refused> for Error {
    fn from(r: Refused) -> Self {
        Error::Invalid(r.0.into_iter().map(FieldProblem::from).collect::<Problems>())
    }
}

/// How many records an import created, changed, and found already as the file says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportCounts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl fmt::Display for ImportCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} created, {} updated, {} unchanged", self.created, self.updated, self.unchanged)
    }
}

/// The rows that could be read, with their lines, and the problems of those that could not.
pub struct ReadRows<T> {
    pub rows: Vec<(u64, T)>,
    pub problems: Vec<LineProblem>,
}

/// The columns an import reads: those every row needs, and those a file may leave out
/// (a left-out column deserializes as `None`; the import decides what that means).
#[derive(Debug, Clone, Copy)]
pub struct Columns<'a> {
    pub required: &'a [&'a str],
    pub optional: &'a [&'a str],
}

impl Columns<'_> {
    fn knows(&self, name: &str) -> bool {
        self.required.contains(&name) || self.optional.contains(&name)
    }

    /// "name, industry (required); website, size (optional)", for messages and pages.
    pub fn describe(&self) -> String {
        let mut s = format!("{} (required)", self.required.join(", "));
        if !self.optional.is_empty() {
            s.push_str(&format!("; {} (optional)", self.optional.join(", ")));
        }
        s
    }
}

/// Reads every row of `reader` as a `T`, keyed by the header. The header must hold every
/// required column, may hold any optional one, and nothing else (else `Err`: no row is
/// read; an unknown column is refused rather than skipped, since it is usually a
/// misspelt one whose values would silently be lost). A row that cannot be read is a
/// problem with its line, and reading goes on, so that the caller can validate the
/// other rows too and report the file's every problem at once.
pub fn read_rows<T: DeserializeOwned>(
    file: &str,
    reader: impl Read,
    columns: Columns<'_>,
) -> Result<ReadRows<T>, Refused> {
    let problem = |line: u64, field: &str, problem: String| LineProblem {
        file: file.to_owned(),
        line,
        field: field.to_owned(),
        problem,
    };
    let mut csv = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(reader);
    let headers = match csv.headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(Refused(vec![problem(1, "header", describe(&e))])),
    };
    if headers.is_empty() || (headers.len() == 1 && headers[0].trim().is_empty()) {
        return Err(Refused(vec![problem(1, "header", "the file is empty; expected a header row".into())]));
    }
    let mut problems = Vec::new();
    let names: Vec<String> = headers.iter().map(|h| h.trim().to_ascii_lowercase()).collect();
    for wanted in columns.required {
        if !names.iter().any(|n| n == wanted) {
            problems.push(problem(1, "header", format!("missing column `{wanted}` (every row needs it)")));
        }
    }
    for (i, name) in names.iter().enumerate() {
        if !columns.knows(name) {
            problems.push(problem(1, "header", format!("unknown column `{name}` (columns: {})", columns.describe())));
        } else if names[..i].contains(name) {
            problems.push(problem(1, "header", format!("column `{name}` appears twice")));
        }
    }
    if !problems.is_empty() {
        return Err(Refused(problems));
    }
    let normalized = csv::StringRecord::from(names);
    csv.set_headers(normalized.clone());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = csv.position().line();
        match csv.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(line, |p| p.line());
                if record.iter().all(|f| f.trim().is_empty()) {
                    continue; // a blank line, often at the end of a file from a spreadsheet
                }
                match record.deserialize::<T>(Some(&normalized)) {
                    Ok(row) => rows.push((line, row)),
                    Err(e) => problems.push(problem(line, "row", describe(&e))),
                }
            }
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line());
                problems.push(problem(line, "row", describe(&e)));
                if !matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. } | csv::ErrorKind::Utf8 { .. }) {
                    break; // an I/O error: nothing more can be read
                }
            }
        }
    }
    Ok(ReadRows { rows, problems })
}

/// A reader's error in words for the office, without the crate's internals.
fn describe(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("has {len} fields but the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8 text (save the file as CSV UTF-8)".to_owned(),
        csv::ErrorKind::Io(io) => format!("cannot be read: {io}"),
        csv::ErrorKind::Deserialize { err, .. } => err.to_string(),
        _ => "cannot be read as CSV".to_owned(),
    }
}
