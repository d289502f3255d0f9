//! Tracepoint formats from tracefs: the fields a tracepoint's `args`
//! index, and whether an event exists at all.

use std::{
    fs, io,
    path::{Path, PathBuf},
};

/// Where tracefs is mounted: its own mount point, else under debugfs.
pub fn root() -> Option<PathBuf> {
    ["/sys/kernel/tracing", "/sys/kernel/debug/tracing"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.join("events").is_dir())
}

/// One `field:` line of a format file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The C declaration without the name: `unsigned long`, `const char *`,
    /// `__data_loc char[]`, `char[16]`.
    pub ty: String,
    pub name: String,
    pub offset: u16,
    pub size: u16,
    pub signed: bool,
}

impl Field {
    pub fn is_data_loc(&self) -> bool {
        self.ty.starts_with("__data_loc")
    }

    pub fn is_pointer(&self) -> bool {
        self.ty.ends_with('*')
    }

    pub fn is_char_array(&self) -> bool {
        self.ty.contains("char[") && !self.is_data_loc()
    }
}

/// The fields of `subsystem/event`, common ones first, in the order
/// tracefs lists them (the order `args[].index` counts).
pub fn format(root: &Path, subsystem: &str, event: &str) -> io::Result<Vec<Field>> {
    let text = fs::read_to_string(
        root.join("events")
            .join(subsystem)
            .join(event)
            .join("format"),
    )?;
    Ok(parse_format(&text))
}

/// Parses a format file's `field:` lines; other lines are ignored.
pub fn parse_format(text: &str) -> Vec<Field> {
    text.lines().filter_map(parse_field).collect()
}

fn parse_field(line: &str) -> Option<Field> {
    let line = line.trim();
    let mut decl = None;
    let (mut offset, mut size, mut signed) = (None, None, false);
    for part in line.split(';') {
        let part = part.trim();
        if let Some(d) = part.strip_prefix("field:") {
            decl = Some(d.trim());
        } else if let Some(v) = part.strip_prefix("offset:") {
            offset = v.trim().parse().ok();
        } else if let Some(v) = part.strip_prefix("size:") {
            size = v.trim().parse().ok();
        } else if let Some(v) = part.strip_prefix("signed:") {
            signed = v.trim() == "1";
        }
    }
    let decl = decl?;
    // `char comm[16]`: the brackets follow the name and belong to the type;
    // `__data_loc char[] name`: the name is the last identifier.
    let (decl, array) = match decl.strip_suffix(']').and_then(|d| d.rfind('[')) {
        Some(i) => (&decl[..i], &decl[i..]),
        None => (decl, ""),
    };
    let split = decl.rfind(|c: char| !(c.is_alphanumeric() || c == '_'))?;
    let name = decl[split + 1..].to_string();
    let ty = format!("{}{}", decl[..=split].trim(), array);
    Some(Field {
        ty,
        name,
        offset: offset?,
        size: size?,
        signed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NETIF: &str = "name: netif_receive_skb
ID: 1398
format:
\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

\tfield:void * skbaddr;\toffset:8;\tsize:8;\tsigned:0;
\tfield:unsigned int len;\toffset:16;\tsize:4;\tsigned:0;
\tfield:__data_loc char[] name;\toffset:20;\tsize:4;\tsigned:0;
\tfield:char comm[16];\toffset:24;\tsize:16;\tsigned:0;

print fmt: \"dev=%s skbaddr=%px len=%u\", __get_str(name), REC->skbaddr, REC->len
";

    #[test]
    fn fields_in_order_with_common_ones() {
        let fields = parse_format(NETIF);
        let names: Vec<_> = fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "common_type",
                "common_flags",
                "common_preempt_count",
                "common_pid",
                "skbaddr",
                "len",
                "name",
                "comm"
            ]
        );
        assert_eq!(fields[4].ty, "void *");
        assert!(fields[4].is_pointer());
        assert_eq!(
            (fields[5].offset, fields[5].size, fields[5].signed),
            (16, 4, false)
        );
        assert!(fields[6].is_data_loc());
        assert_eq!(fields[7].ty, "char[16]");
        assert!(fields[7].is_char_array());
        assert!(fields[3].signed);
    }

    #[test]
    fn raw_syscalls_id_is_index_four() {
        let Some(root) = root() else { return };
        let Ok(fields) = format(&root, "raw_syscalls", "sys_enter") else {
            return;
        };
        assert_eq!(fields[4].name, "id");
        assert_eq!(fields[4].size, 8);
    }
}
