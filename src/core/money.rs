//! Money: amounts are whole cents (`i64`) everywhere; shown in major units.

/// 45000 cents → "450.00" (no currency sign: the page shows the currency code beside it).
pub fn display(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", (cents / 100).abs(), (cents % 100).abs())
}

#[cfg(test)]
mod tests {
    #[test]
    fn cents_in_major_units() {
        assert_eq!(super::display(45_000), "450.00");
        assert_eq!(super::display(120_050), "1200.50");
        assert_eq!(super::display(5), "0.05");
        assert_eq!(super::display(-250), "-2.50");
    }
}
