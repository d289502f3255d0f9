//! Accessors over the `GetEventsResponse.event` oneof.

use crate::tetragon::get_events_response::Event;
use crate::tetragon::{EventType, GetEventsResponse, Process, RateLimitInfo};
use crate::wkt::Timestamp;

impl Event {
    /// The `EventType` whose value equals this variant's oneof field number.
    pub fn event_type(&self) -> EventType {
        match self {
            Event::ProcessExec(_) => EventType::ProcessExec,
            Event::ProcessExit(_) => EventType::ProcessExit,
            Event::ProcessKprobe(_) => EventType::ProcessKprobe,
            Event::ProcessTracepoint(_) => EventType::ProcessTracepoint,
            Event::ProcessLoader(_) => EventType::ProcessLoader,
            Event::ProcessUprobe(_) => EventType::ProcessUprobe,
            Event::ProcessThrottle(_) => EventType::ProcessThrottle,
            Event::ProcessLsm(_) => EventType::ProcessLsm,
            Event::ProcessUsdt(_) => EventType::ProcessUsdt,
            Event::Test(_) => EventType::Test,
            Event::RateLimitInfo(_) => EventType::RateLimitInfo,
        }
    }

    pub fn process(&self) -> Option<&Process> {
        match self {
            Event::ProcessExec(e) => e.process.as_ref(),
            Event::ProcessExit(e) => e.process.as_ref(),
            Event::ProcessKprobe(e) => e.process.as_ref(),
            Event::ProcessTracepoint(e) => e.process.as_ref(),
            Event::ProcessLoader(e) => e.process.as_ref(),
            Event::ProcessUprobe(e) => e.process.as_ref(),
            Event::ProcessLsm(e) => e.process.as_ref(),
            Event::ProcessUsdt(e) => e.process.as_ref(),
            Event::ProcessThrottle(_) | Event::Test(_) | Event::RateLimitInfo(_) => None,
        }
    }

    pub fn process_mut(&mut self) -> Option<&mut Process> {
        match self {
            Event::ProcessExec(e) => e.process.as_mut(),
            Event::ProcessExit(e) => e.process.as_mut(),
            Event::ProcessKprobe(e) => e.process.as_mut(),
            Event::ProcessTracepoint(e) => e.process.as_mut(),
            Event::ProcessLoader(e) => e.process.as_mut(),
            Event::ProcessUprobe(e) => e.process.as_mut(),
            Event::ProcessLsm(e) => e.process.as_mut(),
            Event::ProcessUsdt(e) => e.process.as_mut(),
            Event::ProcessThrottle(_) | Event::Test(_) | Event::RateLimitInfo(_) => None,
        }
    }

    pub fn parent(&self) -> Option<&Process> {
        match self {
            Event::ProcessExec(e) => e.parent.as_ref(),
            Event::ProcessExit(e) => e.parent.as_ref(),
            Event::ProcessKprobe(e) => e.parent.as_ref(),
            Event::ProcessTracepoint(e) => e.parent.as_ref(),
            Event::ProcessLoader(e) => e.parent.as_ref(),
            Event::ProcessUprobe(e) => e.parent.as_ref(),
            Event::ProcessLsm(e) => e.parent.as_ref(),
            Event::ProcessUsdt(e) => e.parent.as_ref(),
            Event::ProcessThrottle(_) | Event::Test(_) | Event::RateLimitInfo(_) => None,
        }
    }

    pub fn parent_mut(&mut self) -> Option<&mut Process> {
        match self {
            Event::ProcessExec(e) => e.parent.as_mut(),
            Event::ProcessExit(e) => e.parent.as_mut(),
            Event::ProcessKprobe(e) => e.parent.as_mut(),
            Event::ProcessTracepoint(e) => e.parent.as_mut(),
            Event::ProcessLoader(e) => e.parent.as_mut(),
            Event::ProcessUprobe(e) => e.parent.as_mut(),
            Event::ProcessLsm(e) => e.parent.as_mut(),
            Event::ProcessUsdt(e) => e.parent.as_mut(),
            Event::ProcessThrottle(_) | Event::Test(_) | Event::RateLimitInfo(_) => None,
        }
    }

    /// Ancestors beyond the immediate parent (empty for variants without them).
    pub fn ancestors(&self) -> &[Process] {
        match self {
            Event::ProcessExec(e) => &e.ancestors,
            Event::ProcessExit(e) => &e.ancestors,
            Event::ProcessKprobe(e) => &e.ancestors,
            Event::ProcessTracepoint(e) => &e.ancestors,
            Event::ProcessLoader(e) => &e.ancestors,
            Event::ProcessUprobe(e) => &e.ancestors,
            Event::ProcessLsm(e) => &e.ancestors,
            Event::ProcessUsdt(e) => &e.ancestors,
            Event::ProcessThrottle(_) | Event::Test(_) | Event::RateLimitInfo(_) => &[],
        }
    }

    /// The tracing policy name, for variants produced by a policy hook.
    /// `None` also when the field is empty (proto3 unset).
    pub fn policy_name(&self) -> Option<&str> {
        let name = match self {
            Event::ProcessKprobe(e) => &e.policy_name,
            Event::ProcessTracepoint(e) => &e.policy_name,
            Event::ProcessUprobe(e) => &e.policy_name,
            Event::ProcessLsm(e) => &e.policy_name,
            Event::ProcessUsdt(e) => &e.policy_name,
            Event::ProcessExec(_)
            | Event::ProcessExit(_)
            | Event::ProcessLoader(_)
            | Event::ProcessThrottle(_)
            | Event::Test(_)
            | Event::RateLimitInfo(_) => return None,
        };
        (!name.is_empty()).then_some(name.as_str())
    }
}

impl From<&Event> for EventType {
    fn from(event: &Event) -> Self {
        event.event_type()
    }
}

impl GetEventsResponse {
    /// The event that tells a reader how many events it did not get.
    pub fn rate_limit_info(node_name: &str, time: Timestamp, dropped: u64) -> Self {
        GetEventsResponse {
            event: Some(Event::RateLimitInfo(RateLimitInfo {
                number_of_dropped_process_events: dropped,
            })),
            node_name: node_name.to_string(),
            time: Some(time),
            ..Default::default()
        }
    }

    /// `None` when no event variant is set.
    pub fn event_type(&self) -> Option<EventType> {
        self.event.as_ref().map(Event::event_type)
    }

    pub fn process(&self) -> Option<&Process> {
        self.event.as_ref().and_then(Event::process)
    }

    pub fn process_mut(&mut self) -> Option<&mut Process> {
        self.event.as_mut().and_then(Event::process_mut)
    }

    pub fn parent(&self) -> Option<&Process> {
        self.event.as_ref().and_then(Event::parent)
    }

    pub fn parent_mut(&mut self) -> Option<&mut Process> {
        self.event.as_mut().and_then(Event::parent_mut)
    }

    pub fn ancestors(&self) -> &[Process] {
        self.event.as_ref().map_or(&[], Event::ancestors)
    }

    pub fn policy_name(&self) -> Option<&str> {
        self.event.as_ref().and_then(Event::policy_name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tetragon::{
        ProcessExec, ProcessExit, ProcessKprobe, ProcessLoader, ProcessLsm, ProcessThrottle,
        ProcessTracepoint, ProcessUprobe, ProcessUsdt, RateLimitInfo, Test,
    };

    fn proc(binary: &str) -> Option<Process> {
        Some(Process {
            binary: binary.into(),
            ..Default::default()
        })
    }

    fn response(event: Event) -> GetEventsResponse {
        GetEventsResponse {
            event: Some(event),
            ..Default::default()
        }
    }

    fn all_variants() -> Vec<Event> {
        vec![
            Event::ProcessExec(ProcessExec {
                process: proc("/exec"),
                parent: proc("/exec-parent"),
                ancestors: vec![proc("/init").unwrap()],
            }),
            Event::ProcessExit(ProcessExit {
                process: proc("/exit"),
                parent: proc("/exit-parent"),
                ..Default::default()
            }),
            Event::ProcessKprobe(ProcessKprobe {
                process: proc("/kprobe"),
                parent: proc("/kprobe-parent"),
                policy_name: "kp".into(),
                ..Default::default()
            }),
            Event::ProcessTracepoint(ProcessTracepoint {
                process: proc("/tp"),
                parent: proc("/tp-parent"),
                policy_name: "tp".into(),
                ..Default::default()
            }),
            Event::ProcessLoader(ProcessLoader {
                process: proc("/loader"),
                parent: proc("/loader-parent"),
                ..Default::default()
            }),
            Event::ProcessUprobe(ProcessUprobe {
                process: proc("/uprobe"),
                parent: proc("/uprobe-parent"),
                policy_name: "up".into(),
                ..Default::default()
            }),
            Event::ProcessThrottle(ProcessThrottle::default()),
            Event::ProcessLsm(ProcessLsm {
                process: proc("/lsm"),
                parent: proc("/lsm-parent"),
                policy_name: "lsm".into(),
                ..Default::default()
            }),
            Event::ProcessUsdt(ProcessUsdt {
                process: proc("/usdt"),
                parent: proc("/usdt-parent"),
                policy_name: "usdt".into(),
                ..Default::default()
            }),
            Event::Test(Test::default()),
            Event::RateLimitInfo(RateLimitInfo::default()),
        ]
    }

    #[test]
    fn event_type_equals_oneof_field_number() {
        use prost::Message;
        for event in all_variants() {
            let ty = event.event_type();
            assert_ne!(ty, EventType::Undef);
            // The first key of the encoded response carries the oneof field number.
            let bytes = response(event).encode_to_vec();
            let (key, _) = decode_varint(&bytes);
            assert_eq!(key >> 3, ty as u64, "{ty:?}");
        }
    }

    fn decode_varint(bytes: &[u8]) -> (u64, usize) {
        let mut value = 0u64;
        for (i, b) in bytes.iter().enumerate() {
            value |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return (value, i + 1);
            }
        }
        panic!("truncated varint");
    }

    #[test]
    fn process_and_parent_follow_the_variant() {
        for event in all_variants() {
            let ev = response(event);
            let ty = ev.event_type().unwrap();
            match ty {
                EventType::ProcessThrottle | EventType::Test | EventType::RateLimitInfo => {
                    assert!(ev.process().is_none());
                    assert!(ev.parent().is_none());
                }
                _ => {
                    let binary = &ev.process().unwrap().binary;
                    assert_eq!(
                        ev.parent().unwrap().binary,
                        format!("{binary}-parent"),
                        "{ty:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn policy_name_only_for_policy_hooks() {
        let names: Vec<_> = all_variants()
            .into_iter()
            .map(|e| response(e).policy_name().map(str::to_owned))
            .collect();
        let expected = [
            None,
            None,
            Some("kp"),
            Some("tp"),
            None,
            Some("up"),
            None,
            Some("lsm"),
            Some("usdt"),
            None,
            None,
        ];
        assert_eq!(names, expected.map(|n| n.map(str::to_owned)));

        let unnamed = response(Event::ProcessKprobe(ProcessKprobe::default()));
        assert_eq!(unnamed.policy_name(), None);
    }

    #[test]
    fn empty_response_has_nothing() {
        let ev = GetEventsResponse::default();
        assert_eq!(ev.event_type(), None);
        assert!(ev.process().is_none());
        assert!(ev.parent().is_none());
        assert!(ev.ancestors().is_empty());
        assert_eq!(ev.policy_name(), None);
    }

    #[test]
    fn mutable_access_and_ancestors() {
        let mut ev = response(all_variants().remove(0));
        ev.process_mut().unwrap().binary = "/changed".into();
        ev.parent_mut().unwrap().binary = "/changed-parent".into();
        assert_eq!(ev.process().unwrap().binary, "/changed");
        assert_eq!(ev.parent().unwrap().binary, "/changed-parent");
        assert_eq!(ev.ancestors().len(), 1);
        assert_eq!(ev.ancestors()[0].binary, "/init");
    }
}
