// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title SequencerUptimeFeed — a devnet stand-in for Chainlink's L2 Sequencer Uptime Feed.
/// @notice Implements the read subset of `AggregatorV2V3Interface` that consumers use
/// (`latestRoundData`, `getRoundData`, `latestAnswer`, `latestTimestamp`, `latestRound`,
/// `decimals`, `description`, `version`) with Chainlink's semantics: answer 0 = sequencer up,
/// 1 = sequencer down; `startedAt` = when the status changed (on mainnet an L1 timestamp, here
/// caller-supplied and allowed to be 0 to reproduce an uninitialised Arbitrum feed);
/// `updatedAt` = the L2 block time of the write. The owner drives it with `setStatus`, and
/// `setReadReverts` makes every read revert (an uninitialised Arbitrum feed reverts with
/// `Uninitialized()`). See docs/research/sequencer.md §1.2 and §1.6 and
/// https://github.com/smartcontractkit/chainlink/blob/develop/contracts/src/v0.8/l2ep/shared/BaseSequencerUptimeFeed.sol
contract SequencerUptimeFeed {
    struct Round {
        int256 answer;
        uint256 startedAt;
        uint256 updatedAt;
    }

    error OnlyOwner();
    error Uninitialized();
    error NoDataPresent();

    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);
    event NewRound(uint256 indexed roundId, address indexed startedBy, uint256 startedAt);
    event ReadRevertsSet(bool reverts);

    address public immutable owner;
    uint80 public latestRound;
    bool public readReverts;
    mapping(uint80 => Round) private rounds;

    constructor(int256 initialAnswer, uint256 initialStartedAt) {
        owner = msg.sender;
        _record(initialAnswer, initialStartedAt);
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert OnlyOwner();
        _;
    }

    /// @notice Records a new round. `startedAt` is stored as given (0 allowed).
    function setStatus(int256 answer, uint256 startedAt) external onlyOwner {
        _record(answer, startedAt);
    }

    /// @notice Records a new round whose `startedAt` is this block's timestamp.
    function setStatusNow(int256 answer) external onlyOwner {
        _record(answer, block.timestamp);
    }

    /// @notice When true, every round read reverts with `Uninitialized()`.
    function setReadReverts(bool reverts) external onlyOwner {
        readReverts = reverts;
        emit ReadRevertsSet(reverts);
    }

    function decimals() external pure returns (uint8) {
        return 0;
    }

    function description() external pure returns (string memory) {
        return "L2 Sequencer Uptime Status Feed";
    }

    function version() external pure returns (uint256) {
        return 1;
    }

    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        return _round(latestRound);
    }

    function getRoundData(uint80 roundId)
        external
        view
        returns (uint80, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        if (roundId == 0 || roundId > latestRound) revert NoDataPresent();
        return _round(roundId);
    }

    function latestAnswer() external view returns (int256) {
        if (readReverts) revert Uninitialized();
        return rounds[latestRound].answer;
    }

    function latestTimestamp() external view returns (uint256) {
        if (readReverts) revert Uninitialized();
        return rounds[latestRound].updatedAt;
    }

    function _round(uint80 roundId) private view returns (uint80, int256, uint256, uint256, uint80) {
        if (readReverts) revert Uninitialized();
        Round memory r = rounds[roundId];
        return (roundId, r.answer, r.startedAt, r.updatedAt, roundId);
    }

    function _record(int256 answer, uint256 startedAt) private {
        uint80 roundId = latestRound + 1;
        latestRound = roundId;
        rounds[roundId] = Round(answer, startedAt, block.timestamp);
        emit NewRound(roundId, msg.sender, startedAt);
        emit AnswerUpdated(answer, roundId, block.timestamp);
    }
}
