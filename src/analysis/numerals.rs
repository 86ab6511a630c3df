//! Roman numerals, read and written: heading numbering (`Part III`, `iv.`), the
//! numbering rule's messages and cross-references (`Chapter XII`) share one table.

const NUMERALS: [(u32, &str); 13] = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
];

/// The value of a well-formed upper-case Roman numeral (`XIV` → 14), or `None`.
pub fn roman_value(label: &str) -> Option<u32> {
    let mut rest = label;
    let mut value = 0;
    for (amount, numeral) in NUMERALS {
        // Each numeral repeats at most three times in canonical form, so 3999 is the most.
        for _ in 0..3 {
            match rest.strip_prefix(numeral) {
                Some(after) => {
                    value += amount;
                    rest = after;
                }
                None => break,
            }
        }
    }
    (rest.is_empty() && value > 0).then_some(value)
}

/// `14` → `XIV`; values with no Roman form (0, 4000 and above) as digits.
pub fn to_roman(mut value: u32) -> String {
    if value == 0 || value >= 4000 {
        return value.to_string();
    }
    let mut out = String::new();
    for (amount, numeral) in NUMERALS {
        while value >= amount {
            out.push_str(numeral);
            value -= amount;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_non_canonical_forms() {
        for value in 1..4000 {
            assert_eq!(roman_value(&to_roman(value)), Some(value));
        }
        assert_eq!(roman_value("IIII"), None);
        assert_eq!(roman_value("xiv"), None);
        assert_eq!(roman_value(""), None);
        assert_eq!(to_roman(0), "0");
        assert_eq!(to_roman(4000), "4000");
    }
}
