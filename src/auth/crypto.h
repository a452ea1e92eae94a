// Password hashing (argon2id via libsodium) and random tokens. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"

namespace chosen::auth {

// Initialises libsodium; safe to call many times. Throws if it cannot.
void InitCrypto();

// Returns an argon2id hash string (salted, with its parameters embedded).
Result<std::string> HashPassword(std::string_view password);

// A stored password hash that no password matches (VerifyPassword rejects it
// as malformed): for accounts that exist but may not log in yet, e.g.
// imported users, until a password is set.
constexpr const char* kUnusablePasswordHash = "!no-password";

// True when `password` matches `hash`. False for any malformed hash.
bool VerifyPassword(std::string_view hash, std::string_view password);

// Burns the same time as a real verification (used when no account exists,
// so response time does not reveal which emails are registered).
void DummyVerify(std::string_view password);

// `bytes` random bytes, hex encoded.
std::string RandomToken(std::size_t bytes = 32);

// SHA-256 of `text`, hex encoded (tokens are stored only as this).
std::string Sha256Hex(std::string_view text);

}  // namespace chosen::auth
