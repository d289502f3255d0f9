//! Capability bit masks as the API's CapabilitiesType lists.

use tetragon_api::tetragon::{Capabilities, CapabilitiesType};

/// The capabilities set in `mask`, lowest first; bits the API does not
/// name are left out.
pub fn cap_list(mask: u64) -> Vec<i32> {
    (0..64)
        .filter(|bit| mask & (1u64 << bit) != 0)
        .filter(|&bit| CapabilitiesType::try_from(bit).is_ok())
        .collect()
}

pub fn capabilities(permitted: u64, effective: u64, inheritable: u64) -> Capabilities {
    Capabilities {
        permitted: cap_list(permitted),
        effective: cap_list(effective),
        inheritable: cap_list(inheritable),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_the_set_bits_as_capability_types() {
        let sys_admin = CapabilitiesType::CapSysAdmin as i32;
        assert_eq!(sys_admin, 21);
        assert_eq!(cap_list(1 << 21 | 1), vec![0, 21]);
        assert_eq!(cap_list(0), Vec::<i32>::new());
        // A full root mask is 41 capabilities on current kernels.
        assert_eq!(cap_list((1u64 << 41) - 1).len(), 41);
    }
}
