import Foundation

/// A value computed by `work` on a thread of its own, started when the task is created.
final class BackgroundTask<Value>: @unchecked Sendable {
    private var outcome: Result<Value, Error>?
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()

    init(name: String, _ work: @escaping () throws -> Value) {
        let thread = Thread { [self] in
            let result = Result(catching: work)
            lock.lock()
            outcome = result
            lock.unlock()
            done.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Waits for the work to end and returns its value, or throws its error. Later calls return
    /// the same outcome.
    func value() throws -> Value {
        lock.lock()
        if outcome == nil {
            lock.unlock()
            done.wait()
            lock.lock()
        }
        defer { lock.unlock() }
        return try outcome!.get()
    }
}

/// A first-in, first-out channel of at most `capacity` elements between one sending and one
/// receiving thread. `send` waits while the channel is full, and `receive` while it is empty.
final class BoundedChannel<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var elements: [Element] = []
    private let capacity: Int
    private var isClosed = false
    private var isCancelled = false

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Adds `element`, waiting for room. Returns false when the receiver cancelled.
    func send(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while elements.count >= capacity && !isCancelled {
            condition.wait()
        }
        if isCancelled { return false }
        elements.append(element)
        condition.broadcast()
        return true
    }

    /// Marks the end of the elements, so that `receive` returns nil once it has returned the rest.
    func close() {
        condition.lock()
        isClosed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Takes the oldest element, waiting for one. Returns nil once the channel is closed and empty.
    func receive() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while elements.isEmpty && !isClosed {
            condition.wait()
        }
        guard !elements.isEmpty else { return nil }
        let element = elements.removeFirst()
        condition.broadcast()
        return element
    }

    /// Drops the waiting elements and makes every later `send` return false at once.
    func cancel() {
        condition.lock()
        isCancelled = true
        elements.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}
