//! Just enough of the shell to take a cURL command apart: words, quotes, continuations.
//!
//! The examples are meant to be pasted into a shell, so their `-d '…'` body is what the
//! shell hands to curl: quotes removed, `'"'"'`-style splices joined. The reader undoes the
//! quoting without running anything; where the shell would substitute (`$(date …)`,
//! `'"$id"'`) the text is kept as written and the word is marked. It also tolerates the
//! pages' slips: `/` instead of `\` at line ends, and `\ # comment` after a continuation.

/// A shell word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    /// The word with its quoting undone.
    pub text: String,
    /// `true` when the shell would substitute part of it.
    pub substituted: bool,
}

/// What a cURL command sends.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Curl {
    /// The first argument that is a URL.
    pub url: Option<String>,
    /// The first `-d`/`--data…` argument.
    pub data: Option<Word>,
}

/// The cURL commands of a code block, each as the text from its `curl` line on.
pub(crate) fn commands(body: &str) -> Vec<&str> {
    let mut starts: Vec<usize> = Vec::new();
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with("curl ") || t == "curl" || t == "curl\n" {
            starts.push(offset + (line.len() - t.len()));
        }
        offset += line.len();
    }
    let ends = starts.iter().skip(1).copied().chain([body.len()]);
    starts.iter().zip(ends).map(|(&s, e)| &body[s..e]).collect()
}

/// Reads one cURL command.
pub(crate) fn curl(command: &str) -> Result<Curl, String> {
    let words = words(command)?;
    let mut out = Curl::default();
    let skip = usize::from(words.first().is_some_and(|w| w.text == "curl"));
    let mut it = words.into_iter().skip(skip);
    while let Some(w) = it.next() {
        let t = w.text.as_str();
        if [
            "-d",
            "--data",
            "--data-raw",
            "--data-binary",
            "--data-ascii",
        ]
        .contains(&t)
        {
            let value = it.next();
            if out.data.is_none() {
                out.data = value;
            }
        } else if let Some(v) = attached_data(t) {
            if out.data.is_none() {
                out.data = Some(Word {
                    text: v.to_string(),
                    substituted: w.substituted,
                });
            }
        } else if ["-X", "--request", "-H", "--header", "-u", "--user"].contains(&t) {
            it.next();
        } else if out.url.is_none() && t.starts_with("http") {
            out.url = Some(w.text);
        }
    }
    Ok(out)
}

/// The value of `-d{…}` or `--data={…}` written as one word.
fn attached_data(word: &str) -> Option<&str> {
    if let Some(v) = word.strip_prefix("--data=") {
        return Some(v);
    }
    word.strip_prefix("-d")
        .filter(|v| !v.is_empty() && !v.starts_with('-'))
}

/// Splits a command into words.
pub(crate) fn words(command: &str) -> Result<Vec<Word>, String> {
    let mut s = Splitter {
        chars: command.chars().collect(),
        i: 0,
        words: Vec::new(),
        cur: String::new(),
        started: false,
        substituted: false,
    };
    while s.i < s.chars.len() {
        s.step()?;
    }
    s.end_word();
    Ok(s.words)
}

/// Word splitter state.
struct Splitter {
    chars: Vec<char>,
    i: usize,
    words: Vec<Word>,
    cur: String,
    started: bool,
    substituted: bool,
}

impl Splitter {
    fn step(&mut self) -> Result<(), String> {
        let c = self.chars[self.i];
        self.i += 1;
        match c {
            '\\' => self.backslash(),
            '\'' => self.single()?,
            '"' => self.double()?,
            '#' if !self.started => self.comment(),
            '$' => self.dollar(),
            c if c.is_whitespace() => self.end_word(),
            c => self.push(c),
        }
        Ok(())
    }

    fn push(&mut self, c: char) {
        self.cur.push(c);
        self.started = true;
    }

    /// `\` + line break continues the line; `\` + anything else is that character.
    fn backslash(&mut self) {
        match self.chars.get(self.i) {
            Some('\n') => self.i += 1,
            Some(&c) => {
                self.i += 1;
                if c == ' ' && !self.started {
                    return;
                }
                self.push(c);
            }
            None => {}
        }
    }

    fn single(&mut self) -> Result<(), String> {
        self.started = true;
        let end = self.find('\'').ok_or("a single quote is never closed")?;
        self.cur.extend(&self.chars[self.i..end]);
        self.i = end + 1;
        Ok(())
    }

    fn double(&mut self) -> Result<(), String> {
        self.started = true;
        while let Some(&c) = self.chars.get(self.i) {
            self.i += 1;
            match c {
                '"' => return Ok(()),
                '\\' => match self.chars.get(self.i) {
                    Some(&n) if "\"\\$`\n".contains(n) => {
                        self.i += 1;
                        if n != '\n' {
                            self.cur.push(n);
                        }
                    }
                    _ => self.cur.push('\\'),
                },
                '$' => self.dollar(),
                c => self.cur.push(c),
            }
        }
        Err("a double quote is never closed".into())
    }

    /// `$(…)`, `${…}` or `$NAME`: kept as written, the word marked as substituted.
    fn dollar(&mut self) {
        self.push('$');
        let next = self.chars.get(self.i).copied();
        let Some(n) = next else { return };
        if n == '(' || n == '{' {
            self.substituted = true;
            let close = if n == '(' { ')' } else { '}' };
            let mut depth = 0;
            while let Some(&c) = self.chars.get(self.i) {
                self.cur.push(c);
                self.i += 1;
                depth += i32::from(c == n) - i32::from(c == close);
                if depth == 0 {
                    break;
                }
            }
        } else if n.is_ascii_alphabetic() || n == '_' {
            self.substituted = true;
        }
    }

    fn comment(&mut self) {
        while let Some(&c) = self.chars.get(self.i) {
            if c == '\n' {
                break;
            }
            self.i += 1;
        }
    }

    fn find(&self, c: char) -> Option<usize> {
        self.chars[self.i..]
            .iter()
            .position(|&x| x == c)
            .map(|p| p + self.i)
    }

    /// Ends the current word; a lone `/` (a slip for `\`) is dropped.
    fn end_word(&mut self) {
        if self.started && self.cur != "/" {
            self.words.push(Word {
                text: std::mem::take(&mut self.cur),
                substituted: self.substituted,
            });
        }
        self.cur.clear();
        self.started = false;
        self.substituted = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_usual_command() {
        let c = curl(
            "curl -X POST \\\n  -H \"Content-Type: application/json\" \\\n  -d '{\"POST_ID\":217}' \\\n  https://x/rest/1/k/log.blogpost.share\n",
        )
        .unwrap();
        assert_eq!(c.data.unwrap().text, r#"{"POST_ID":217}"#);
        assert_eq!(
            c.url.as_deref(),
            Some("https://x/rest/1/k/log.blogpost.share")
        );
    }

    #[test]
    fn spliced_quotes_and_substitutions() {
        let c =
            curl(r#"curl -d '{"d":"'"$(date -Iseconds)"'","n":"it'"'"'s"}' https://x/m"#).unwrap();
        let data = c.data.unwrap();
        assert_eq!(data.text, r#"{"d":"$(date -Iseconds)","n":"it's"}"#);
        assert!(data.substituted);
    }

    #[test]
    fn slips_the_pages_make() {
        let c = curl("curl -X POST /\n  -d '{\"a\":1}' /\n  https://x/m").unwrap();
        assert_eq!(c.data.unwrap().text, r#"{"a":1}"#);
        let c =
            curl("curl -X POST \\\n -d '{\"id\":\"x\"}' \\ # Replace 'x'\n https://x/m").unwrap();
        assert_eq!(c.url.as_deref(), Some("https://x/m"));
        assert!(curl("curl -d '{\"a\":1}").is_err());
    }

    #[test]
    fn several_commands_in_one_block() {
        let b = "# webhook\ncurl -d '{}' https://a/x\n\ncurl https://b/y\n";
        let cmds = commands(b);
        assert_eq!(cmds.len(), 2);
        assert!(cmds[1].starts_with("curl https://b/y"));
    }
}
