#include "greeting.h"

std::string Greeting(const std::string& who) { return "Hello, " + who + "!"; }
