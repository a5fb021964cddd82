#include "device-host/session/expect_check.h"

#include <cstdio>
#include <filesystem>

#include "device-host/render/image_diff.h"
#include "device-host/render/png_codec.h"
#include "device-host/render/visible_text.h"
#include "platform/atomic_file.h"

namespace ws::host {

namespace {

namespace fs = std::filesystem;

constexpr size_t kListedTexts = 12;  // texts named in a text_visible failure

std::string Quoted(const std::string& text) { return "\"" + text + "\""; }

std::string SizeText(int width, int height) { return std::to_string(width) + "x" + std::to_string(height); }

Status WritePng(const std::string& path, const Canvas& canvas) {
  std::vector<uint8_t> png = EncodePng(canvas);
  return WriteFileAtomically(path, std::string_view(reinterpret_cast<const char*>(png.data()), png.size()));
}

void CheckFocus(const std::string& wanted, const ExpectContext& c, ExpectRecord& record) {
  if (!c.focus) {
    record.failures.push_back({"focused_text", "cannot check the focus: " + c.focus_unknown});
  } else if (*c.focus != wanted) {
    record.failures.push_back({"focused_text", "expected the focus on " + Quoted(wanted) + ", found it on " +
                                                   (c.focus->empty() ? "nothing" : Quoted(*c.focus))});
  }
}

void CheckTextVisible(const std::string& wanted, const ExpectContext& c, ExpectRecord& record) {
  std::vector<std::string> texts;
  if (c.frame != nullptr && c.font != nullptr) texts = VisibleTexts(*c.frame, *c.font, c.width, c.height);
  for (const std::string& text : texts) {
    if (text.find(wanted) != std::string::npos) return;
  }
  std::string seen;
  for (size_t i = 0; i < texts.size() && i < kListedTexts; ++i) seen += (i ? ", " : "") + Quoted(texts[i]);
  if (texts.size() > kListedTexts) seen += ", ... (" + std::to_string(texts.size()) + " in all)";
  record.failures.push_back({"text_visible", "no text on screen contains " + Quoted(wanted) +
                                                 (texts.empty() ? "; the screen shows no text" : "; on screen: " + seen)});
}

void CheckFrameTime(double below, const ExpectContext& c, ExpectRecord& record) {
  double p99 = Percentile(c.frame_ms, 99);
  if (p99 < below) return;
  char text[160];
  std::snprintf(text, sizeof text, "frame time p99 is %.2f ms over %zu frames, expected below %.2f ms", p99,
                c.frame_ms.size(), below);
  record.failures.push_back({"frame_ms_p99_below", text});
}

// Writes the actual screen (and the diff picture when there is one) for a
// failed comparison; a write that fails is said in the failure itself.
void KeepEvidence(const Expect& e, const Canvas& actual, const Canvas* diff, ExpectRecord& record,
                  std::string& message) {
  if (!e.actual_path.empty()) {
    if (Status s = WritePng(e.actual_path, actual); s) {
      record.actual_path = e.actual_path;
    } else {
      message += " (cannot write the actual image: " + s.error().message + ")";
    }
  }
  if (diff != nullptr && !e.diff_path.empty()) {
    if (Status s = WritePng(e.diff_path, *diff); s) {
      record.diff_path = e.diff_path;
    } else {
      message += " (cannot write the diff image: " + s.error().message + ")";
    }
  }
}

void CheckScreenshot(const Expect& e, const ExpectContext& c, ExpectRecord& record) {
  Canvas actual(c.width, c.height);
  if (c.frame != nullptr && c.images != nullptr && c.font != nullptr) Rasterize(*c.frame, *c.images, *c.font, actual);
  std::string golden = e.golden_path.empty() ? e.screenshot_matches : e.golden_path;
  record.golden = golden;
  auto fail = [&](std::string message, const Canvas* diff) {
    KeepEvidence(e, actual, diff, record, message);
    record.failures.push_back({"screenshot_matches", std::move(message)});
  };
  if (e.update_golden) {
    if (Status written = WritePng(golden, actual); !written) {
      return fail("cannot write the golden: " + written.error().message, nullptr);
    }
    record.golden_written = true;
    record.diff_pixels = 0;
    return;
  }
  std::error_code ec;
  if (!fs::exists(golden, ec)) {
    return fail("no golden " + golden + " for this " + SizeText(c.width, c.height) +
                    " screen; record it with wasmship test --update-goldens",
                nullptr);
  }
  Result<std::string> bytes = ReadFile(golden, kImageFile);
  Result<Image> expected = bytes ? DecodePng(std::span(reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size()))
                                 : Result<Image>(bytes.error());
  if (!expected) return fail("cannot read the golden " + golden + ": " + expected.error().message, nullptr);
  if (expected->width != c.width || expected->height != c.height) {
    return fail("the golden " + golden + " is " + SizeText(expected->width, expected->height) + ", the screen is " +
                    SizeText(c.width, c.height) + "; goldens are kept per screen size (golden/" +
                    SizeText(c.width, c.height) + "/...): record this size with --update-goldens",
                nullptr);
  }
  ImageDiff diff = DiffImages(actual, *expected);
  record.diff_pixels = diff.pixels;
  if (diff.pixels <= e.max_diff_pixels) return;
  fail(std::to_string(diff.pixels) + " pixels differ from " + golden + " (at most " +
           std::to_string(e.max_diff_pixels) + " may)",
       &diff.picture);
}

}  // namespace

ExpectRecord CheckExpect(const Expect& expect, int line, const ExpectContext& context) {
  ExpectRecord record;
  record.line = line;
  if (expect.focused_text) CheckFocus(*expect.focused_text, context, record);
  if (expect.text_visible) CheckTextVisible(*expect.text_visible, context, record);
  if (expect.no_traps && context.traps > 0) {
    record.failures.push_back({"no_traps", "the app trapped " + std::to_string(context.traps) +
                                               (context.traps == 1 ? " time" : " times") + " (first: " +
                                               context.first_trap + ")"});
  }
  if (expect.frame_ms_p99_below) CheckFrameTime(*expect.frame_ms_p99_below, context, record);
  if (!expect.screenshot_matches.empty()) CheckScreenshot(expect, context, record);
  return record;
}

}  // namespace ws::host
