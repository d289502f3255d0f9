//! The few bpf(2) and perf_event_open(2) calls aya does not offer: attaching
//! a tracepoint program by tracepoint id (so the probe needs no tracefs at a
//! fixed place), a kprobe_multi link, and creating a ring buffer map.

use std::{
    ffi::CString,
    io,
    mem::size_of,
    os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd},
};

use aya_obj::generated::{
    PERF_EVENT_IOC_ENABLE, PERF_EVENT_IOC_SET_BPF, PERF_FLAG_FD_CLOEXEC, bpf_attach_type, bpf_attr,
    bpf_cmd, bpf_map_type, bpf_prog_type, perf_event_attr, perf_type_id,
};

fn bpf(cmd: bpf_cmd, attr: &mut bpf_attr) -> io::Result<OwnedFd> {
    // SAFETY: attr is a valid, fully initialised bpf_attr of the size passed.
    let ret = unsafe {
        libc::syscall(
            libc::SYS_bpf,
            cmd as libc::c_long,
            attr as *mut bpf_attr,
            size_of::<bpf_attr>(),
        )
    };
    if ret < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: these commands return a new file descriptor we now own.
    Ok(unsafe { OwnedFd::from_raw_fd(ret as RawFd) })
}

/// Attaches the loaded tracepoint program `prog` to the tracepoint with
/// tracefs id `id` (on CPU 0), and detaches it again when the returned fd is
/// dropped.
pub(crate) fn attach_tracepoint(prog: BorrowedFd<'_>, id: u64) -> io::Result<OwnedFd> {
    // SAFETY: perf_event_attr is plain data; all-zero is a valid start.
    let mut attr: perf_event_attr = unsafe { std::mem::zeroed() };
    attr.type_ = perf_type_id::PERF_TYPE_TRACEPOINT as u32;
    attr.size = size_of::<perf_event_attr>() as u32;
    attr.config = id;
    attr.__bindgen_anon_1.sample_period = 1;
    attr.__bindgen_anon_2.wakeup_events = 1;
    // SAFETY: attr is valid for the call; pid -1 and cpu 0 is "every task on CPU 0".
    let ret = unsafe {
        libc::syscall(
            libc::SYS_perf_event_open,
            &attr as *const perf_event_attr,
            -1 as libc::pid_t,
            0 as libc::c_int,
            -1 as libc::c_int,
            PERF_FLAG_FD_CLOEXEC as libc::c_ulong,
        )
    };
    if ret < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: perf_event_open returned a new file descriptor we now own.
    let perf = unsafe { OwnedFd::from_raw_fd(ret as RawFd) };
    for (request, arg) in [
        (PERF_EVENT_IOC_SET_BPF, prog.as_raw_fd() as libc::c_ulong),
        (PERF_EVENT_IOC_ENABLE, 0),
    ] {
        // SAFETY: both requests take an integer argument.
        if unsafe { libc::ioctl(perf.as_raw_fd(), request as _, arg) } < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(perf)
}

/// Where a two-step probe failed.
#[derive(Debug)]
pub(crate) enum Stage {
    Load(io::Error),
    Attach(io::Error),
}

/// Loads a trivial kprobe_multi program and links it to `symbol`; both are
/// released before returning.
pub(crate) fn kprobe_multi(symbol: &str) -> Result<(), Stage> {
    // mov64 r0, 0; exit
    let insns: [[u8; 8]; 2] = [[0xb7, 0, 0, 0, 0, 0, 0, 0], [0x95, 0, 0, 0, 0, 0, 0, 0]];
    let license = c"GPL";
    // SAFETY: bpf_attr is plain data; all-zero is the documented default.
    let mut attr: bpf_attr = unsafe { std::mem::zeroed() };
    // SAFETY: writing the PROG_LOAD member of the union.
    unsafe {
        let load = &mut attr.__bindgen_anon_3;
        load.prog_type = bpf_prog_type::BPF_PROG_TYPE_KPROBE as u32;
        load.insn_cnt = insns.len() as u32;
        load.insns = insns.as_ptr() as u64;
        load.license = license.as_ptr() as u64;
        load.expected_attach_type = bpf_attach_type::BPF_TRACE_KPROBE_MULTI as u32;
    }
    let prog = bpf(bpf_cmd::BPF_PROG_LOAD, &mut attr).map_err(Stage::Load)?;

    let symbol = CString::new(symbol).map_err(|e| Stage::Attach(io::Error::other(e)))?;
    let symbols = [symbol.as_ptr()];
    // SAFETY: as above, now the LINK_CREATE member.
    let mut attr: bpf_attr = unsafe { std::mem::zeroed() };
    unsafe {
        let link = &mut attr.link_create;
        link.__bindgen_anon_1.prog_fd = prog.as_raw_fd() as u32;
        link.attach_type = bpf_attach_type::BPF_TRACE_KPROBE_MULTI as u32;
        link.__bindgen_anon_3.kprobe_multi.cnt = symbols.len() as u32;
        link.__bindgen_anon_3.kprobe_multi.syms = symbols.as_ptr() as u64;
    }
    let link = bpf(bpf_cmd::BPF_LINK_CREATE, &mut attr).map_err(Stage::Attach)?;
    drop(link);
    drop(prog);
    Ok(())
}

/// Creates (and closes) a ring buffer map of `size` bytes.
pub(crate) fn create_ring_buffer(size: u32) -> io::Result<()> {
    // SAFETY: bpf_attr is plain data; all-zero is the documented default.
    let mut attr: bpf_attr = unsafe { std::mem::zeroed() };
    // SAFETY: writing the MAP_CREATE member of the union.
    unsafe {
        let map = &mut attr.__bindgen_anon_1;
        map.map_type = bpf_map_type::BPF_MAP_TYPE_RINGBUF as u32;
        map.max_entries = size;
    }
    bpf(bpf_cmd::BPF_MAP_CREATE, &mut attr).map(drop)
}

pub(crate) fn page_size() -> u32 {
    // SAFETY: sysconf has no memory effects.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    u32::try_from(page).unwrap_or(4096).max(4096)
}
