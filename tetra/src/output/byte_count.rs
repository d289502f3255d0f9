//! Byte counts for people: `4.46 MB`, in powers of 1000, as upstream's
//! tetra prints a policy's kernel memory.

pub fn human(bytes: u64) -> String {
    const UNIT: u64 = 1000;
    if bytes < UNIT {
        return format!("{bytes} B");
    }
    let (mut div, mut exp) = (UNIT, 0);
    let mut n = bytes / UNIT;
    while n >= UNIT {
        div *= UNIT;
        exp += 1;
        n /= UNIT;
    }
    let prefix = b"kMGTPE"[exp] as char;
    format!("{:.2} {prefix}B", bytes as f64 / div as f64)
}

#[cfg(test)]
mod tests {
    use super::human;

    #[test]
    fn powers_of_a_thousand_with_two_decimals() {
        assert_eq!(human(0), "0 B");
        assert_eq!(human(999), "999 B");
        assert_eq!(human(1000), "1.00 kB");
        assert_eq!(human(4_458_824), "4.46 MB");
        assert_eq!(human(u64::MAX), "18.45 EB");
    }
}
