//! Money: amounts are whole cents (`i64`, hundredths of the currency's unit, whatever the
//! currency) everywhere; shown in major units, as the currency writes them.

/// 45000 cents → "450.00" (no currency sign: for a form's kept value or a CSV cell).
pub fn display(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", (cents / 100).abs(), (cents % 100).abs())
}

/// The currencies the office deals in, as the pages write them: code, sign, whether the
/// currency has minor units, and its name (for a list of choices).
pub const CURRENCIES: [(&str, &str, bool, &str); 5] = [
    ("USD", "$", true, "US dollars"),
    ("CAD", "CA$", true, "Canadian dollars"),
    ("EUR", "€", true, "Euros"),
    ("GBP", "£", true, "Pounds sterling"),
    ("JPY", "¥", false, "Japanese yen"),
];

/// `cents` as the currency formats it (English, as the portal is): "$575.00",
/// "€1,200.50", "£575.00", "CA$575.00", "¥575" (yen have no minor unit: rounded to the
/// yen), and for a currency not in [`CURRENCIES`] the amount then its code,
/// "575.00 XYZ". A negative amount puts the minus first: "-$2.50".
pub fn format(cents: i64, currency: &str) -> String {
    let code = currency.trim().to_ascii_uppercase();
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    match CURRENCIES.iter().find(|(c, ..)| *c == code) {
        Some((_, symbol, true, _)) => format!("{sign}{symbol}{}.{:02}", group(abs / 100), abs % 100),
        Some((_, symbol, false, _)) => {
            // Half a unit or more rounds up (away from zero).
            let units = abs / 100 + u64::from(abs % 100 >= 50);
            format!("{sign}{symbol}{}", group(units))
        }
        None => format!("{sign}{}.{:02} {code}", group(abs / 100), abs % 100),
    }
}

/// 1234567 → "1,234,567".
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cents_in_major_units() {
        assert_eq!(display(45_000), "450.00");
        assert_eq!(display(120_050), "1200.50");
        assert_eq!(display(5), "0.05");
        assert_eq!(display(-250), "-2.50");
    }

    #[test]
    fn each_currency_as_it_is_written() {
        assert_eq!(format(57_500, "USD"), "$575.00");
        assert_eq!(format(57_500, "EUR"), "€575.00");
        assert_eq!(format(57_500, "GBP"), "£575.00");
        assert_eq!(format(57_500, "CAD"), "CA$575.00");
        assert_eq!(format(57_500, "JPY"), "¥575", "yen have no decimals");
        assert_eq!(format(57_550, "JPY"), "¥576", "half a yen rounds up");
        assert_eq!(format(57_549, "JPY"), "¥575");
        assert_eq!(format(57_500, "XYZ"), "575.00 XYZ", "an unknown code follows the amount");
        assert_eq!(format(57_500, "usd"), "$575.00", "the code in any case");
        assert_eq!(format(120_050, "USD"), "$1,200.50", "thousands grouped");
        assert_eq!(format(12_345_678_900, "EUR"), "€123,456,789.00");
        assert_eq!(format(5, "USD"), "$0.05");
        assert_eq!(format(0, "GBP"), "£0.00");
        assert_eq!(format(-250, "USD"), "-$2.50");
        assert_eq!(format(-250, "XYZ"), "-2.50 XYZ");
        assert_eq!(format(i64::MIN, "USD"), "-$92,233,720,368,547,758.08", "no overflow");
    }

    #[test]
    fn groups_of_three() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1_000), "1,000");
        assert_eq!(group(12_345_678), "12,345,678");
    }
}
