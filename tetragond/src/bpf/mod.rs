//! The kernel side as seen from user space: embedded objects, loading and
//! attaching, the ring buffer, and the raw record formats.

pub mod base_sensor;
pub mod objects;
pub mod pins;
pub mod records;
pub mod ringbuf;
