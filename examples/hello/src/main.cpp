#include <cstdio>

#include "greeting.h"

int main() {
  std::printf("%s\n", Greeting("living room").c_str());
  return 0;
}
