// Expect checks against a known screen: focus, texts, traps, frame times,
// and goldens recorded, matched, mismatched (with actual and diff images
// written), missing or of another size.
#include "device-host/session/expect_check.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "device-host/render/png_codec.h"
#include "platform/atomic_file.h"

namespace ws::host {
namespace {

namespace fs = std::filesystem;

class ExpectCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto font = Font::Load(Font::DefaultPath());
    ASSERT_TRUE(font) << font.error().message;
    font_ = std::move(*font);
    char pattern[] = "/tmp/ws_expect_check_XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
    frame_.commands = {Rect(100, 100, 200, 50, 0x3366CCFF), Text(110, 110, "Play now")};
  }
  void TearDown() override { fs::remove_all(dir_); }

  static DrawCommand Rect(float x, float y, float w, float h, uint32_t rgba) {
    DrawCommand c;
    c.op = DrawOp::kRect;
    c.x = x, c.y = y, c.w = w, c.h = h, c.rgba = rgba;
    return c;
  }
  static DrawCommand Text(float x, float y, std::string text) {
    DrawCommand c;
    c.op = DrawOp::kText;
    c.x = x, c.y = y, c.size = 24, c.rgba = 0xFFFFFFFF, c.text = std::move(text);
    return c;
  }
  ExpectContext Context(int width = 320, int height = 200) {
    ExpectContext c;
    c.frame = &frame_;
    c.images = &images_;
    c.font = font_.get();
    c.width = width;
    c.height = height;
    c.focus = "Tile 3";
    return c;
  }
  Expect Golden(bool update, int64_t max = 0) {
    Expect e;
    e.screenshot_matches = "golden/home.png";
    e.golden_path = dir_ + "/golden/320x200/home.png";
    e.actual_path = dir_ + "/evidence/7-home.actual.png";
    e.diff_path = dir_ + "/evidence/7-home.diff.png";
    e.update_golden = update;
    e.max_diff_pixels = max;
    return e;
  }
  static std::string Failures(const ExpectRecord& r) {
    std::string all;
    for (const ExpectFailure& f : r.failures) all += f.check + ": " + f.message + "\n";
    return all;
  }

  std::unique_ptr<Font> font_;
  std::string dir_;
  DrawList frame_;
  ImageStore images_;
};

TEST_F(ExpectCheckTest, FocusedTextMatchesExactly) {
  Expect e;
  e.focused_text = "Tile 3";
  EXPECT_TRUE(CheckExpect(e, 4, Context()).passed());
  e.focused_text = "Tile 4";
  ExpectRecord r = CheckExpect(e, 4, Context());
  EXPECT_EQ(r.line, 4);
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_EQ(r.failures[0].check, "focused_text");
  EXPECT_EQ(r.failures[0].message, "expected the focus on \"Tile 4\", found it on \"Tile 3\"");
  ExpectContext unknown = Context();
  unknown.focus.reset();
  unknown.focus_unknown = "no hot reload";
  EXPECT_EQ(CheckExpect(e, 4, unknown).failures[0].message, "cannot check the focus: no hot reload");
}

TEST_F(ExpectCheckTest, TextVisibleLooksAtTheTextsOnScreen) {
  Expect e;
  e.text_visible = "Play";
  EXPECT_TRUE(CheckExpect(e, 1, Context()).passed());
  e.text_visible = "Pause";
  ExpectRecord r = CheckExpect(e, 1, Context());
  EXPECT_EQ(Failures(r), "text_visible: no text on screen contains \"Pause\"; on screen: \"Play now\"\n");
  // Off a smaller screen, the same text is not visible.
  e.text_visible = "Play";
  EXPECT_FALSE(CheckExpect(e, 1, Context(100, 100)).passed());
}

TEST_F(ExpectCheckTest, NoTrapsAndFrameTime) {
  Expect e;
  e.no_traps = true;
  e.frame_ms_p99_below = 16;
  ExpectContext c = Context();
  c.frame_ms = {3, 4, 5};
  EXPECT_TRUE(CheckExpect(e, 1, c).passed());
  c.traps = 2;
  c.first_trap = "unreachable in ws_frame at frame 9";
  c.frame_ms.push_back(40);
  ExpectRecord r = CheckExpect(e, 1, c);
  EXPECT_EQ(Failures(r),
            "no_traps: the app trapped 2 times (first: unreachable in ws_frame at frame 9)\n"
            "frame_ms_p99_below: frame time p99 is 40.00 ms over 4 frames, expected below 16.00 ms\n");
}

TEST_F(ExpectCheckTest, GoldenRecordedThenMatched) {
  ExpectRecord recorded = CheckExpect(Golden(true), 7, Context());
  EXPECT_TRUE(recorded.passed()) << Failures(recorded);
  EXPECT_TRUE(recorded.golden_written);
  ASSERT_TRUE(fs::exists(dir_ + "/golden/320x200/home.png"));
  ExpectRecord matched = CheckExpect(Golden(false), 7, Context());
  EXPECT_TRUE(matched.passed()) << Failures(matched);
  EXPECT_EQ(matched.diff_pixels, 0);
  EXPECT_FALSE(fs::exists(dir_ + "/evidence"));
}

TEST_F(ExpectCheckTest, MismatchWritesTheActualAndDiffImages) {
  ASSERT_TRUE(CheckExpect(Golden(true), 7, Context()).passed());
  frame_.commands[0].x += 10;  // the box moved: its two 50-pixel edges changed
  ExpectRecord r = CheckExpect(Golden(false), 7, Context());
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_EQ(r.failures[0].check, "screenshot_matches");
  EXPECT_GT(r.diff_pixels, 0);
  EXPECT_NE(r.failures[0].message.find(std::to_string(r.diff_pixels) + " pixels differ from " + dir_ +
                                       "/golden/320x200/home.png (at most 0 may)"),
            std::string::npos)
      << r.failures[0].message;
  EXPECT_EQ(r.actual_path, dir_ + "/evidence/7-home.actual.png");
  EXPECT_EQ(r.diff_path, dir_ + "/evidence/7-home.diff.png");
  auto actual = ReadFile(r.actual_path, kImageFile);
  ASSERT_TRUE(actual);
  auto image = DecodePng(std::span(reinterpret_cast<const uint8_t*>(actual->data()), actual->size()));
  ASSERT_TRUE(image);
  EXPECT_EQ(image->width, 320);
  EXPECT_TRUE(fs::exists(r.diff_path));
  // Within the allowance it passes.
  EXPECT_TRUE(CheckExpect(Golden(false, r.diff_pixels), 7, Context()).passed());
}

TEST_F(ExpectCheckTest, MissingOrOtherSizeGoldenFails) {
  ExpectRecord missing = CheckExpect(Golden(false), 7, Context());
  EXPECT_NE(Failures(missing).find("no golden " + dir_ + "/golden/320x200/home.png for this 320x200 screen; "
                                   "record it with wasmship test --update-goldens"),
            std::string::npos)
      << Failures(missing);
  EXPECT_TRUE(fs::exists(dir_ + "/evidence/7-home.actual.png"));
  std::vector<uint8_t> small = EncodePng(Canvas(10, 10));
  ASSERT_TRUE(WriteFileAtomically(dir_ + "/golden/320x200/home.png",
                                  std::string_view(reinterpret_cast<const char*>(small.data()), small.size())));
  ExpectRecord other = CheckExpect(Golden(false), 7, Context());
  EXPECT_NE(Failures(other).find("the golden " + dir_ + "/golden/320x200/home.png is 10x10, the screen is 320x200"),
            std::string::npos)
      << Failures(other);
  ASSERT_TRUE(WriteFileAtomically(dir_ + "/golden/320x200/home.png", "not a png"));
  EXPECT_NE(Failures(CheckExpect(Golden(false), 7, Context())).find("cannot read the golden"), std::string::npos);
}

}  // namespace
}  // namespace ws::host
