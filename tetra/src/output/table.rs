//! Plain-text tables in kubectl's style, as upstream tetra prints its lists:
//! an upper-case header row, columns three spaces apart, no borders.

use tabled::{
    builder::Builder,
    settings::{Padding, Style},
};

/// `header` then `rows`, each line ending without padding.
pub fn render<R>(header: &[&str], rows: impl IntoIterator<Item = R>) -> String
where
    R: IntoIterator<Item = String>,
{
    let mut builder = Builder::default();
    builder.push_record(header.iter().map(|h| h.to_string()));
    for row in rows {
        builder.push_record(row);
    }
    let mut table = builder.build();
    table.with(Style::empty()).with(Padding::new(0, 3, 0, 0));
    let mut out = String::new();
    for line in table.to_string().lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_three_spaces_apart_without_trailing_blanks() {
        let rows = [
            vec!["kprobe".to_string(), "false".to_string()],
            vec!["tracepoint".to_string(), "true".to_string()],
        ];
        assert_eq!(
            render(&["NAME", "ENABLED"], rows),
            "NAME         ENABLED\nkprobe       false\ntracepoint   true\n"
        );
    }

    #[test]
    fn empty_cells_keep_their_column() {
        let rows = [vec!["a".to_string(), String::new(), "flag".to_string()]];
        assert_eq!(
            render(&["NAME", "VALUE", "SOURCE"], rows),
            "NAME   VALUE   SOURCE\na              flag\n"
        );
    }
}
