extension ArraySlice where Element: Comparable {
    /// How many of these (ascending) are less than `value`: the offset of the
    /// first one at least `value`, by binary search.
    func offset(ofFirstAtLeast value: Element) -> Int {
        var low = startIndex, high = endIndex
        while low < high {
            let mid = (low + high) / 2
            if self[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low - startIndex
    }
}
