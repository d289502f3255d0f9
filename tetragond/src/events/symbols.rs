//! Kernel stack traces: addresses from a hook's stack map, named from
//! /proc/kallsyms (read once, when the first stack is asked for).

use std::sync::OnceLock;

use aya::maps::{MapData, StackTraceMap};
use tetragon_api::tetragon::StackTraceEntry;

#[derive(Default)]
pub struct KernelSymbols {
    /// (address, name), sorted by address.
    table: OnceLock<Vec<(u64, String)>>,
    /// --expose-kernel-addresses: report addresses, not just symbols.
    pub expose_addresses: bool,
}

impl KernelSymbols {
    pub fn new(expose_addresses: bool) -> Self {
        KernelSymbols {
            table: OnceLock::new(),
            expose_addresses,
        }
    }

    fn table(&self) -> &[(u64, String)] {
        self.table.get_or_init(|| {
            let text = std::fs::read_to_string("/proc/kallsyms").unwrap_or_default();
            let mut table: Vec<(u64, String)> = text
                .lines()
                .filter_map(|l| {
                    let mut parts = l.split_whitespace();
                    let addr = u64::from_str_radix(parts.next()?, 16).ok()?;
                    let _kind = parts.next()?;
                    let name = parts.next()?;
                    (addr != 0).then(|| (addr, name.to_string()))
                })
                .collect();
            table.sort_unstable_by_key(|(a, _)| *a);
            table
        })
    }

    /// The symbol holding `addr` and the offset into it.
    pub fn resolve(&self, addr: u64) -> Option<(&str, u64)> {
        let table = self.table();
        let i = table.partition_point(|(a, _)| *a <= addr).checked_sub(1)?;
        let (start, name) = &table[i];
        Some((name.as_str(), addr - start))
    }

    /// The frames of stack `id`, innermost first, as events carry them.
    pub fn stack(&self, map: &StackTraceMap<MapData>, id: u32) -> Vec<StackTraceEntry> {
        let Ok(trace) = map.get(&id, 0) else {
            return Vec::new();
        };
        trace
            .frames()
            .iter()
            .map(|f| {
                let (symbol, offset) = self
                    .resolve(f.ip)
                    .map(|(s, o)| (s.to_string(), o))
                    .unwrap_or_default();
                StackTraceEntry {
                    address: if self.expose_addresses { f.ip } else { 0 },
                    offset,
                    symbol,
                    module: String::new(),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_an_address_inside_a_symbol() {
        let syms = KernelSymbols::default();
        let _ = syms
            .table
            .set(vec![(0x1000, "a".into()), (0x2000, "b".into())]);
        assert_eq!(syms.resolve(0x1010), Some(("a", 0x10)));
        assert_eq!(syms.resolve(0x2000), Some(("b", 0)));
        assert_eq!(syms.resolve(0x10), None);
    }
}
