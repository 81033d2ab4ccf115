//! The conversions a user reaches for, through the generated API as they would write it:
//! flags from `bool`, list parameters from any iterable, grammars and enums from text with
//! `TryFrom`, and answer objects built in code for the mock portal.
//!
//! Each test here fails to compile without its conversion.

use std::time::Duration;

use b24_rest::log::{BlogpostAddRequest, BlogpostGetRequest, BlogpostShareRequest};
use b24_rest::mock::{MockAnswer, MockPortal};
use b24_rest::shared::{BlogPost, Destination, UserComment, UserComments, YesNo};
use b24_rest::{Client, GrammarError, Id};

fn client() -> Client {
    Client::webhook("https://portal.example/rest/1/secret-code/").expect("a valid webhook")
}

/// The JSON body a request sends.
fn body<T: serde::Serialize>(request: &T) -> serde_json::Value {
    serde_json::to_value(request).expect("encodes")
}

#[test]
fn yes_no_flags_convert_from_bool_and_tell_yes_from_no() {
    assert_eq!(YesNo::from(true), YesNo::Yes);
    assert_eq!(YesNo::from(false), YesNo::No);
    assert!(YesNo::Yes.is_yes() && !YesNo::Yes.is_no());
    assert!(YesNo::No.is_no() && !YesNo::No.is_yes());
    let unknown = YesNo::Other("D".to_owned());
    assert!(
        !unknown.is_yes() && !unknown.is_no(),
        "a value this version does not know is neither"
    );

    // The request's setter and the call's setter both take a `bool`.
    let request = BlogpostAddRequest::new("hello")
        .important(true)
        .parse_preview(false);
    assert_eq!(body(&request)["IMPORTANT"], "Y");
    assert_eq!(body(&request)["PARSE_PREVIEW"], "N");
    let client = client();
    let call = client.log().blogpost().add("hello").important(true);
    assert_eq!(call.request().important, Some(YesNo::Yes));
    // The enum itself still works.
    let call = client.log().blogpost().add("hello").important(YesNo::No);
    assert_eq!(call.request().important, Some(YesNo::No));
}

#[test]
fn list_parameters_take_any_iterable() {
    let dest = Destination::Group(69);
    let expected = vec![Destination::Group(69)];
    let client = client();
    let blogpost = client.log().blogpost();

    // The accessor fn: an array, a `Vec`, a slice's clones, an iterator.
    assert_eq!(blogpost.share(217, [dest.clone()]).request().dest, expected);
    assert_eq!(
        blogpost.share(217, vec![dest.clone()]).request().dest,
        expected
    );
    assert_eq!(
        blogpost
            .share(217, std::slice::from_ref(&dest).iter().cloned())
            .request()
            .dest,
        expected
    );
    let groups = blogpost.share(217, (1..=3).map(Destination::Group));
    assert_eq!(
        groups.request().dest,
        [
            Destination::Group(1),
            Destination::Group(2),
            Destination::Group(3)
        ]
    );
    // An empty list names its item type.
    assert!(
        blogpost
            .share(217, Vec::<Destination>::new())
            .request()
            .dest
            .is_empty()
    );

    // `new` and the optional setters, on the request and on the call.
    let request = BlogpostShareRequest::new(217, [dest.clone()]);
    assert_eq!(body(&request)["DEST"], serde_json::json!(["SG69"]));
    let request = BlogpostAddRequest::new("hello")
        .dest([Destination::AllUsers, dest.clone()])
        .uf_blog_post_file(["n1", "n2"]);
    assert_eq!(body(&request)["DEST"], serde_json::json!(["UA", "SG69"]));
    assert_eq!(
        body(&request)["UF_BLOG_POST_FILE"],
        serde_json::json!(["n1", "n2"]),
        "items convert into the list's type (`&str` into `String`)"
    );
    let call = client.log().blogpost().add("hello").dest([dest]);
    assert_eq!(call.request().dest.as_deref(), Some(&expected[..]));
}

#[test]
fn grammars_and_enums_convert_from_text_strictly() {
    assert_eq!(Destination::try_from("SG69"), Ok(Destination::Group(69)));
    assert_eq!(
        Destination::try_from("SG69".to_owned()),
        Ok(Destination::Group(69))
    );
    let converted: Destination = "UA".try_into().expect("a listed form");
    assert_eq!(converted, Destination::AllUsers);

    // The same strict parser as `FromStr`, with the same error.
    let refused: Result<Destination, GrammarError> = Destination::try_from("sg69");
    assert_eq!(refused, "sg69".parse::<Destination>());
    assert!(refused.is_err(), "a lower-case prefix is not a form");
    assert!(Destination::try_from(String::new()).is_err());

    assert_eq!(YesNo::try_from("Y"), Ok(YesNo::Yes));
    assert_eq!(YesNo::try_from("N".to_owned()), Ok(YesNo::No));
    assert!(
        YesNo::try_from("y").is_err(),
        "strict: never an `Other` from a caller's text"
    );

    // Text is one conversion away from a list parameter.
    fn destinations(codes: &[&str]) -> Result<Vec<Destination>, GrammarError> {
        codes
            .iter()
            .map(|code| Destination::try_from(*code))
            .collect()
    }
    let client = client();
    let call = client
        .log()
        .blogpost()
        .share(217, destinations(&["SG69", "U1"]).expect("valid codes"));
    assert_eq!(
        call.request().dest,
        [Destination::Group(69), Destination::User(1)]
    );
}

#[test]
fn answer_objects_are_built_in_code() {
    let mut post = BlogPost::default();
    post.id = Id(1);
    post.title = Some("Quarterly results".to_owned());
    post.enable_comments = Some(true.into());
    assert_eq!(post.id, 1);
    assert_eq!(post.author_id, None, "the rest is empty");

    let mut comment = UserComment::default();
    comment.id = Some(Id(5));
    let mut comments = UserComments::default();
    comments.comments.push(comment);
    assert_eq!(comments.comments.len(), 1);

    // Such a value is the mock portal's answer, and the client reads it back as it was.
    let portal = MockPortal::start();
    let client = portal.client();
    portal.push(
        "log.blogpost.get",
        MockAnswer::success::<BlogpostGetRequest>(&vec![post.clone()]),
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let answer = runtime.block_on(async {
        tokio::time::timeout(Duration::from_secs(20), client.log().blogpost().get())
            .await
            .expect("in time")
            .expect("the scripted answer")
    });
    assert_eq!(answer.result, vec![post]);
}
