//! The hooks loaded now, by the id their records carry: what the event
//! builder needs to read a record and name its policy.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, RwLock},
};

use aya::maps::{MapData, StackTraceMap};

use super::compile::HookInfo;

pub struct RegisteredHook {
    pub policy_name: String,
    pub info: HookInfo,
    /// Where the hook's stack traces are, when a selector asks for them.
    pub stacks: Option<Mutex<StackTraceMap<MapData>>>,
}

#[derive(Default)]
pub struct HookRegistry {
    hooks: RwLock<HashMap<u32, Arc<RegisteredHook>>>,
}

impl HookRegistry {
    pub fn get(&self, id: u32) -> Option<Arc<RegisteredHook>> {
        self.hooks
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&id)
            .cloned()
    }

    pub fn insert(&self, id: u32, hook: RegisteredHook) {
        self.hooks
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id, Arc::new(hook));
    }

    /// Forgets hooks; records of theirs still queued are dropped.
    pub fn remove(&self, ids: &[u32]) {
        let mut hooks = self.hooks.write().unwrap_or_else(|e| e.into_inner());
        for id in ids {
            hooks.remove(id);
        }
    }
}
