"""How a question is put: to the bot or about it, of a year, a version, a named thing or a place
in a list."""

from __future__ import annotations

import pytest

from bot.engine.asking import (
    asked_places,
    asked_years,
    asks_about_the_listener,
    asks_for_the_top,
    asks_how_to,
    asks_the_room,
    asks_to_choose,
    asks_which_by_name,
    asks_which_other_thing,
    asks_which_version,
    options_offered,
    place_in_a_list,
    places_given,
    question_before_chat,
    ruled_out,
    speaks_of_the_asker,
    which_of,
    without_chat_frames,
)


@pytest.mark.parametrize(
    "question",
    [
        "what would you do if you had a million dollars?",
        "Whats your rank on the leaderboard?",
        "how far are u on it",
        "What were you originally studying?",
        "you getting paid?",
        "你们平时开源模型用得多还是闭源的多",
        "Gemini 的 deep research 你們覺得靠譜嗎",
        "有人下班一起打游戏吗",
    ],
)
def test_a_question_about_whoever_it_is_put_to_is_told_apart(question: str) -> None:
    assert asks_about_the_listener(question)


@pytest.mark.parametrize(
    "question",
    [
        "can you tell me who wrote the article",
        "Could you identify the analyst behind the report?",
        "do you know when qwen came out",
        "thank you! and the price?",
        "Do people still use it?",
        "yearly price of kimi?",
        "which model runs 8 hours unsupervised",
        "有人知道哪个模型上下文最长吗",  # anyone who knows: still about the models
        "你能告诉我报告是谁写的吗",
        "請問誰知道 DeepSeek 多久更新一次",
    ],
)
def test_asking_the_bot_politely_is_not_asking_about_it(question: str) -> None:
    assert not asks_about_the_listener(question)


@pytest.mark.parametrize(
    "question",
    [
        "how do you run deepseek locally",
        "if you need a long context, which model?",
        "u can use it?",
    ],
)
def test_you_meaning_anyone_is_not_asking_about_the_listener(question: str) -> None:
    assert not asks_about_the_listener(question)


@pytest.mark.parametrize(
    ("question", "placed"),
    [
        ("3rd model on the list?", "model on the list?"),
        ("which one is listed #4", "which one is listed"),
        ("名单里第三个模型是哪个", "名单里 模型是哪个"),
        ("智谱是不是第一个超过闭源的开源模型", None),  # the first ever
        ("which model ranked 3rd on the leaderboard", None),  # a ranking, not a list
        ("list the models", None),  # no place asked
    ],
)
def test_a_place_in_a_list_is_cut_out_of_the_question(question: str, placed: str | None) -> None:
    cut = place_in_a_list(question)
    assert (cut if cut is None else " ".join(cut.split())) == placed


@pytest.mark.parametrize(
    ("question", "years", "version"),
    [
        ("what share was inference back in 2024", ("2024",), False),
        ("2024年推理占比多少 去年呢", ("2024", "去年"), False),
        ("inference is 70% now, what share was it a year ago?", ("a year ago",), False),
        ("and last year?", ("last year",), False),
        ("will it still hold in years to come", (), False),  # no year in particular
        ("which version of CANN does it run on", (), True),
        ("智谱这次的模型版本号是多少", (), True),
        ("how many hours can it run, 20245 tokens", (), False),  # no year inside a longer number
    ],
)
def test_a_question_says_which_years_and_whether_a_version_it_asks_about(
    question: str, years: tuple[str, ...], version: bool
) -> None:
    assert (asked_years(question), asks_which_version(question)) == (years, version)


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Which Claude model specifically did Qwen beat?", True),
        ("minimax uses which intl chips exactly", True),
        ("which closed source flagship did glm-5.1 beat", True),
        ("MiniMax 的国际芯片是哪家的", True),
        ("GLM-5 支持哪几种芯片", True),
        ("glm 支持哪七种芯片", True),
        ("what chips does minimax use", False),  # may ask what kind
        ("what gpu do i need to run it locally", True),  # GPUs come in names, not kinds
        ("what was the alibaba cloud summit called", True),  # what something is called
        ("盘久那个系统叫什么", True),
        ("what's the name of the report", True),
        ("which local inference frameworks does it support", True),
        ("which zhipu model supports 7 chips, glm-5 or glm-5.1?", False),  # options offered
        ("which is cheaper", False),
    ],
)
def test_a_question_can_ask_which_named_thing(question: str, asks: bool) -> None:
    assert asks_which_by_name(question) is asks


@pytest.mark.parametrize(
    ("question", "places"),
    [
        ("who's #2 on swe-bench pro?", {2}),
        ("is it No. 1 overall", {1}),
        ("was it ranked 3rd or ranked first", {1, 3}),
        ("谁是第二名", {2}),
        ("GLM-5.1 之后排第二的是谁", {2}),
        ("排名第3的是谁", {3}),
        ("who came second on swe-bench pro behind glm", {2}),
        ("which model finished 3rd", {3}),
        ("who took second place", {2}),
        ("the 3rd-best coder", {3}),
        ("who was the runner-up", {2}),
        ("what does the second half of the race hinge on", set()),  # a half, not a place
        ("the fourth trend", set()),
        ("第一次听说", set()),  # the first time
        ("which model is 3rd on the list?", set()),  # a place in a list: the list answers
    ],
)
def test_a_question_can_ask_for_a_place_in_a_ranking(question: str, places: set[int]) -> None:
    assert asked_places(question) == places


@pytest.mark.parametrize(
    ("answer", "places"),
    [
        ("It scored 58.4, ranking first globally.", {1}),
        ("GLM-5.1 在 SWE-Bench Pro 上排名全球第一。", {1}),
        ("It was #3, behind two others, and the 4th overall.", {3, 4}),
        ("It made the top ten.", set()),  # a group, not a place
        ("It is the top model.", {1}),
    ],
)
def test_an_answer_gives_any_place_however_written(answer: str, places: set[int]) -> None:
    assert places_given([answer]) == places


@pytest.mark.parametrize(
    ("message", "asked"),
    [
        ("hey bot, what is panjiu", "what is panjiu"),
        ("quick q: what drove margins down", "what drove margins down"),
        ("sorry if this is a dumb question but who wrote the report", "who wrote the report"),
        ("kimi price asking for a friend", "kimi price"),
        ("whats panjiu again, i keep forgetting", "whats panjiu again"),
        ("glm license? thx", "glm license?"),
        ("what does kimi forget", "what does kimi forget"),  # not the asker forgetting
        ("I forgot my password", "I forgot my password"),  # a question about forgetting
        ("thanks to its agent design, how long did qwen run", None),  # no closing thanks
        ("which one is listed 4th", "which is listed 4th"),  # "one": whatever is picked
        ("Which ones are open source?", "Which are open source?"),
        ("is it the one with 2M context", None),  # "the one" still picks
        ("which one-tenth figure was it", None),
        ("文章说竞争变成哪三个维度了 @bot", "文章说竞争变成哪三个维度了"),  # someone addressed
        ("<@1234> what is kimi's context", "what is kimi's context"),  # a Discord mention
        ("mail a@b.com about it", None),  # an address, not someone addressed
    ],
)
def test_chat_frames_are_set_aside_and_nothing_else(message: str, asked: str | None) -> None:
    framed = " ".join(without_chat_frames(message).split()).strip(" ,:")
    assert framed == (asked if asked is not None else message)


@pytest.mark.parametrize(
    ("question", "other"),
    [
        ("which gpus does it run on", True),
        ("what consumer graphics card runs m2.7", True),
        ("which model did alibaba unveil", False),  # a model's name answers it
        ("which lab made it", False),
        ("what chips does minimax use", False),  # may ask what kind
    ],
)
def test_a_question_can_ask_for_a_thing_no_model_or_maker_is(question: str, other: bool) -> None:
    assert asks_which_other_thing(question) is other


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("which Claude model did Qwen beat?", {"claude"}),
        ("which intl chips does minimax use", {"intl"}),
        ("which model is cheapest", set()),
        ("what did qwen beat", set()),
        ("what consumer gpu runs it", {"consumer"}),
    ],
)
def test_which_of_gives_the_words_that_say_whose_or_what_sort(
    question: str, words: set[str]
) -> None:
    assert which_of(question) == words


@pytest.mark.parametrize(
    ("message", "question"),
    [
        ("whose context is longest? i wanna dump a whole repo in 😅", "whose context is longest?"),
        ("哪个上下文最长？我想丢整本书进去", "哪个上下文最长？"),
        ("the 35 hour run, what hardware? how many gpus", None),  # what follows asks too
        ("minimax uses nvidia? which intl chips exactly", None),
        ("what? no way", None),  # one word asks nothing alone
        ("kimi price?", None),  # nothing follows
    ],
)
def test_a_question_before_chat_is_found_only_when_the_chat_asks_nothing(
    message: str, question: str | None
) -> None:
    assert question_before_chat(message) == question


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("what did plain glm-5 (not 5.1) score", {"5.1"}),
        ("swe-bench verified? not pro, the verified one", {"pro"}),
        ("base v4, not the pro. what did it cost", {"pro"}),
        ("what did v4 cost (the base one not the pro)", {"pro"}),  # after the one meant
        ("is the model not open source?", set()),  # "model" then "not" asks
        ("what's it about now if not params", set()),  # asks, inside the clause
        ("is it not open source?", set()),
        ("V4 普通版（不是Pro）训练成本多少", {"pro"}),
        ("千问是不是Apache协议", set()),  # asks, inside the clause
    ],
)
def test_a_question_can_rule_a_word_out(question: str, words: set[str]) -> None:
    assert ruled_out(question) == words


@pytest.mark.parametrize(
    ("question", "how_to"),
    [
        ("how do i get ollama to use my gpu", True),
        ("is there a way to cap spend on the api", True),
        ("anyone know how to run it locally", True),
        ("how do you guys forecast api spend", True),  # how others do it
        ("How are others documenting review controls?", True),
        ("how do people get 2m context out of kimi", True),
        ("how are ppl handling collabs given the export rules", True),
        ("app wants a phone number to sign up, any workaround?", True),
        ("how does the article describe minimax", False),  # what is so, not how to do it
        ("how many chips does glm support", False),
        ("kimi 怎么上传 pdf 有字数限制吗", True),  # working an app
        ("會員自動續費怎麼取消 找不到入口", True),  # Traditional, as typed
        ("这个 bot 怎么用？", True),
        ("学生优惠怎么领", True),
        ("Kimi 的 PPT 助手功能在哪打开", True),  # where to open it
        ("minimax 在算力上是怎么搞的", False),  # "是怎么": what was done
        ("deepseek 怎么用国产芯片训练的", False),  # 用 as "with"
        ("qwen 排名怎么样", False),
        ("怎么把聊天记录导出成 markdown", True),  # what is worked on, between
        ("Kimi App能不能把对话导出成PDF", True),  # whether the app can
        ("GLM-5.1 能不能商用", False),  # what the licence allows
        ("能不能下载权重自己部署", False),
    ],
)
def test_a_question_can_ask_how_to_do_something(question: str, how_to: bool) -> None:
    assert asks_how_to(question) is how_to


@pytest.mark.parametrize(
    ("question", "top"),
    [
        ("what does kimi's highest membership tier cost", True),
        ("is there a plan above the 39 one", True),
        ("kimi 会员最高档多少钱", True),
        ("what is the top model on swe-bench pro", False),  # a ranking, not a range's top
        ("how much is kimi a month", False),
    ],
)
def test_a_question_can_ask_for_the_top_of_a_range(question: str, top: bool) -> None:
    assert asks_for_the_top(question) is top


@pytest.mark.parametrize(
    ("message", "speaks"),
    [
        ("my comfyui workflow crashes at the vae decode step", True),
        ("is it free or do i need a billing account", True),
        ("can someone explain covered calls like I’m 5", True),  # a typographic apostrophe
        ("我的显卡能跑吗", True),
        ("what is the capital of spain", False),
        ("is mit licence fine for commercial use", False),  # "mit" is no "i"
    ],
)
def test_a_message_speaking_of_its_sender_is_told_apart(message: str, speaks: bool) -> None:
    assert speaks_of_the_asker(message) is speaks


@pytest.mark.parametrize(
    ("message", "asks"),
    [
        ("anyone here using qwen through openrouter? rate limits?", True),
        ("anyone read the new entity list additions this week", True),
        ("has anybody tried glm 5.1 with aider", True),
        ("anyone going to computex this yr?", True),
        ("anyone know kimi's context length?", False),  # asks what is so
        ("what did anyone expect lol", False),
        ("is there any paper on whether moe models memorize benchmarks", True),  # a reading
        ("whats a good tool to count tokens before i send a prompt", True),
        ("does any paper say kimi is moe", False),  # what a source says
        ("glm keeps ignoring the edit format, anyone got a config that works", True),
        ("anyone attending the compliance webinar next week?", True),
        ("whats everyone using for evals these days", True),
        ("how much are y'all paying for the api", True),
        ("is everyone using moe now", False),  # what the field does
        ("what is everyone saying about qwen", False),
        ("通义的拍照问功能你们用过没", True),
        ("大家都在用什么模型写代码", True),
        ("谁知道kimi多少钱", False),  # asks what is so
    ],
)
def test_a_message_can_ask_the_room_what_they_tried(message: str, asks: bool) -> None:
    assert asks_the_room(message) is asks


@pytest.mark.parametrize(
    ("question", "chooses"),
    [
        ("which is cheaper, kimi or minimax?", True),
        ("is kimi or glm the one with the longest context", True),
        ("the best coding model rn?", True),
        ("what did claude's flagship score, the one qwen beat?", False),  # says which is meant
        ("what did claude score? the one qwen supposedly beat", False),
        ("how much is kimi per month", False),
    ],
)
def test_a_question_can_ask_to_choose_one(question: str, chooses: bool) -> None:
    assert asks_to_choose(question) is chooses


@pytest.mark.parametrize(
    ("question", "offered"),
    [
        ("context window vs rag, which one should i use", {"window", "rag"}),
        ("madrid or paris?", {"madrid", "paris"}),
        ("2M 还是 1M", {"2m", "1m"}),
        ("what is its context window", set()),
    ],
)
def test_the_options_a_question_lays_out_are_the_words_beside_or(
    question: str, offered: set[str]
) -> None:
    assert options_offered(question) == offered
