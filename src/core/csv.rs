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
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    w.write_record(cells.iter().map(|c| neutralise(c.as_ref()).into_owned())).expect("writing to memory");
    w.into_inner().expect("writing to memory")
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
    }
}
