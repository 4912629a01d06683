// Package parity runs one Secrets Manager scenario suite against the embedded
// emulator and moto_server and compares what they do.
//
// The package holds only tests. Each scenario is a short sequence of calls
// made with the real aws-sdk-go-v2 client; every call is reduced to one line
// that keeps what must agree across implementations (error code and HTTP
// status, staging labels with version ids replaced by v1, v2, …, version
// counts, which response members are present, deterministic values) and drops
// what cannot (ids, ARNs, dates). Each scenario states the lines real AWS
// produces, citing /work/shared/docs/secrets-manager.md. The emulator must
// produce exactly those lines. moto_server must too, unless the scenario lists
// a known moto difference with its reference, in which case the test checks
// that moto still differs in exactly that documented way.
//
// Run it with:
//
//	go test ./aws/emulator/parity/ -run TestEmulator   # the emulator against AWS
//	go test ./aws/emulator/parity/ -run TestMoto       # moto_server against AWS
//
// The moto side skips with a message when moto_server is not installed.
package parity
