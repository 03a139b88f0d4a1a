//! How every CSV file the portal hands out is written (the office's reports, a session's
//! roster): RFC 4180 (CRLF, quotes where needed), UTF-8 with a
//! byte-order mark so that Excel reads accented names, and every cell that a spreadsheet
//! would take for a formula (`=`, `+`, `-`, `@`, tab, carriage return first) neutralised
//! with a leading `'`.

/// The UTF-8 byte-order mark the file starts with.
pub const BOM: &str = "\u{feff}";

/// A cell as the file holds it: a would-be formula gets a leading `'`.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// One record as bytes (RFC 4180: quoted where needed, ended by CRLF).
pub fn record<S: AsRef<str>>(cells: &[S]) -> Vec<u8> {
    let mut r = Records::new();
    r.push(cells);
    r.take()
}

/// Records written one after another into one buffer, each the bytes [`record`] gives:
/// a long file reuses one writer (and its buffer) instead of one per row, and is handed on
/// in chunks of many rows rather than a row at a time.
pub struct Records {
    w: csv::Writer<Vec<u8>>,
}

impl Default for Records {
    fn default() -> Self {
        Records::new()
    }
}

// Flexible: one writer carries every record of a chunk, and a file's records need not all
// have the same number of cells (a report's title row, an empty line between sections).
fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().flexible(true).terminator(csv::Terminator::CRLF).from_writer(Vec::new())
}

impl Records {
    pub fn new() -> Self {
        Records { w: writer() }
    }

    /// Appends one record.
    pub fn push<S: AsRef<str>>(&mut self, cells: &[S]) {
        for c in cells {
            self.w.write_field(neutralise(c.as_ref()).as_bytes()).expect("writing to memory");
        }
        self.w.write_record(None::<&[u8]>).expect("writing to memory");
    }

    /// Roughly how many bytes wait to be taken (the writer's own buffer aside).
    pub fn pending(&self) -> usize {
        self.w.get_ref().len()
    }

    /// Every byte written since the last take (a fresh writer goes on: one per chunk of
    /// the file, not one per row).
    pub fn take(&mut self) -> Vec<u8> {
        std::mem::replace(&mut self.w, writer()).into_inner().expect("writing to memory")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_fields_quoted() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+1"), "'+1");
        assert_eq!(neutralise("-1"), "'-1");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("Zoë"), "Zoë");
        assert_eq!(record(&["a", "b,c", "say \"hi\"", "=1"]), b"a,\"b,c\",\"say \"\"hi\"\"\",'=1\r\n".to_vec());
        let mut r = Records::new();
        r.push(&["a", "b,c"]);
        r.push(&[""]);
        r.push(&["-5.00", "x\ny"]);
        let mut expected = record(&["a", "b,c"]);
        expected.extend(record(&[""]));
        expected.extend(record(&["-5.00", "x\ny"]));
        assert_eq!(r.take(), expected);
        assert!(r.take().is_empty());
    }
}
