//! Policy errors: every problem found in a policy, each with where it is.

use std::fmt;

/// One problem in a policy: where it is (file, line, column, field path) and what is wrong.
///
/// Displayed as `{source}:{line}:{column}: {path}: {message}; {hint}`, leaving out the
/// parts that are absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// File name, or `<grpc>` (whatever the caller passed as the source).
    pub source: String,
    /// 1-based line of the offending key or value.
    pub line: Option<usize>,
    /// 1-based column of the offending key or value.
    pub column: Option<usize>,
    /// Field path, such as `spec.kprobes[0].selectors[0].matchArgs[0].operator`.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// What would be right, when there is something useful to say.
    pub hint: Option<String>,
}

impl PolicyError {
    /// An error with no position (read errors, whole-file problems).
    pub fn new(
        source: impl Into<String>,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        PolicyError {
            source: source.into(),
            line: None,
            column: None,
            path: path.into(),
            message: message.into(),
            hint: None,
        }
    }

    /// The same error with a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The same error at a position (1-based line and column).
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut location = Vec::new();
        if !self.source.is_empty() {
            location.push(self.source.clone());
        }
        if let Some(line) = self.line {
            location.push(line.to_string());
            if let Some(column) = self.column {
                location.push(column.to_string());
            }
        }
        if !location.is_empty() {
            write!(f, "{}: ", location.join(":"))?;
        }
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "; {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PolicyError {}

/// Every problem found in one policy, in the order of the file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PolicyErrors(pub Vec<PolicyError>);

impl PolicyErrors {
    /// Number of errors.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there is no error.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The errors.
    pub fn iter(&self) -> std::slice::Iter<'_, PolicyError> {
        self.0.iter()
    }

    /// Sort by position (errors without a line last, stable otherwise).
    pub(crate) fn sort(&mut self) {
        self.0
            .sort_by_key(|e| (e.line.unwrap_or(usize::MAX), e.column.unwrap_or(0)));
    }
}

impl fmt::Display for PolicyErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PolicyErrors {}

impl From<PolicyError> for PolicyErrors {
    fn from(e: PolicyError) -> Self {
        PolicyErrors(vec![e])
    }
}

impl IntoIterator for PolicyErrors {
    type Item = PolicyError;
    type IntoIter = std::vec::IntoIter<PolicyError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a PolicyErrors {
    type Item = &'a PolicyError;
    type IntoIter = std::slice::Iter<'a, PolicyError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_all_parts() {
        let e = PolicyError::new("a.yaml", "spec.kprobes[0].call", "missing")
            .with_hint("add it")
            .at(3, 5);
        assert_eq!(
            e.to_string(),
            "a.yaml:3:5: spec.kprobes[0].call: missing; add it"
        );
    }

    #[test]
    fn display_omits_absent_parts() {
        let e = PolicyError::new("a.yaml", "", "cannot read");
        assert_eq!(e.to_string(), "a.yaml: cannot read");
        let errs = PolicyErrors(vec![e.clone(), e]);
        assert_eq!(errs.to_string(), "a.yaml: cannot read\na.yaml: cannot read");
    }
}
