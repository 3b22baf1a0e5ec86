//! Hooks that own long-lived browser handles (the worker) on behalf of components.

pub mod use_scanner;
